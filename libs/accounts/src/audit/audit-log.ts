import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '@plenary/database';
import type { Principal } from '../auth/principal';
import { AuditEntryEntity } from './audit.entity';

export interface AuditInput {
  consultationId: string | null;
  actor: Pick<Principal, 'id' | 'displayName'>;
  action: string;
  subjectType: string;
  subjectId: string;
  reason?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface AuditEntryResponse {
  id: string;
  at: string;
  actor: { id: string; name: string };
  action: string;
  subject: { type: string; id: string };
  reason: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Writes audit entries in the caller's transaction, so a change and its record commit together. */
@Injectable()
export class AuditLog {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async record(tx: Tx, entries: AuditInput[]): Promise<void> {
    if (!entries.length) return;
    await tx.save(
      entries.map((e) =>
        tx.create(AuditEntryEntity, {
          consultationId: e.consultationId,
          actorId: e.actor.id,
          actorName: e.actor.displayName,
          action: e.action,
          subjectType: e.subjectType,
          subjectId: e.subjectId,
          reason: e.reason ?? '',
          before: e.before ?? null,
          after: e.after ?? null,
        }),
      ),
    );
  }

  /** A consultation's entries, newest first, keyset-paginated by (at, id). */
  async list(
    consultationId: string,
    limit: number,
    before?: { at: Date; id: string },
    action?: string,
  ): Promise<AuditEntryResponse[]> {
    const qb = this.ds.manager
      .createQueryBuilder(AuditEntryEntity, 'a')
      .where('a.consultation_id = :consultationId', { consultationId });
    if (action) qb.andWhere('a.action LIKE :action', { action: `${action}%` });
    if (before) qb.andWhere('(a.at, a.id) < (:at, :id)', { at: before.at, id: before.id });
    const rows = await qb.orderBy('a.at', 'DESC').addOrderBy('a.id', 'DESC').limit(limit).getMany();
    return rows.map((a) => ({
      id: a.id,
      at: a.at.toISOString(),
      actor: { id: a.actorId, name: a.actorName },
      action: a.action,
      subject: { type: a.subjectType, id: a.subjectId },
      reason: a.reason,
      before: a.before,
      after: a.after,
    }));
  }
}
