import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '@plenary/database';
import { RoundChangeEntity, RoundEntity } from './round.entity';

/** Name of the sequence that numbers a round's contributions (C11-R1-000042). */
export function trackingSequence(roundId: string): string {
  if (!/^[0-9a-f-]{36}$/.test(roundId)) throw new Error(`not a round id: ${roundId}`);
  return `tracking_${roundId.replace(/-/g, '')}`;
}

@Injectable()
export class RoundsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  find(id: string, tx: Tx = this.ds.manager): Promise<RoundEntity | null> {
    return tx.findOne(RoundEntity, { where: { id } });
  }

  lock(id: string, tx: Tx): Promise<RoundEntity | null> {
    return tx.findOne(RoundEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  listForConsultation(consultationId: string): Promise<RoundEntity[]> {
    return this.ds.manager.find(RoundEntity, { where: { consultationId }, order: { number: 'ASC' } });
  }

  listForDocument(documentId: string, tx: Tx): Promise<RoundEntity[]> {
    return tx.find(RoundEntity, { where: { documentId }, order: { opensAt: 'ASC' } });
  }

  async nextNumber(consultationId: string, tx: Tx): Promise<number> {
    const [{ n }] = await tx.query(`SELECT coalesce(max(number), 0) + 1 AS n FROM rounds WHERE consultation_id = $1`, [
      consultationId,
    ]);
    return Number(n);
  }

  /** Inserts a round with the sequence its contributions' tracking numbers are drawn from. */
  async insert(row: Omit<RoundEntity, 'id' | 'createdAt'>, tx: Tx): Promise<RoundEntity> {
    const round = await tx.save(tx.create(RoundEntity, row));
    await tx.query(`CREATE SEQUENCE IF NOT EXISTS ${trackingSequence(round.id)}`);
    return round;
  }

  async update(id: string, patch: Partial<Pick<RoundEntity, 'closesAt' | 'closedEarlyAt'>>, tx: Tx): Promise<void> {
    await tx.update(RoundEntity, { id }, patch);
  }

  async recordChange(row: Omit<RoundChangeEntity, 'id' | 'round'>, tx: Tx): Promise<void> {
    await tx.save(tx.create(RoundChangeEntity, row));
  }

  changes(roundIds: string[]): Promise<RoundChangeEntity[]> {
    if (!roundIds.length) return Promise.resolve([]);
    return this.ds.manager
      .createQueryBuilder(RoundChangeEntity, 'c')
      .where('c.round_id IN (:...roundIds)', { roundIds })
      .orderBy('c.at', 'ASC')
      .getMany();
  }
}
