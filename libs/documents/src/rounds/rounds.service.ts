import { ApiProperty } from '@nestjs/swagger';
import { Injectable } from '@nestjs/common';
import { AuditLog, Principal } from '@plenary/accounts';
import { ConsultationAccess, EventOutbox } from '@plenary/consultations';
import type { CommittedEvent } from '@plenary/core';
import { Clock } from '@plenary/core';
import { DocumentErrors } from '../documents.errors';
import { DocumentsRepository } from '../documents.repository';
import { CreateRoundDto, UpdateRoundDto } from '../dto/document.dto';
import type { RoundChangeEntity, RoundEntity } from './round.entity';
import { RoundsRepository } from './rounds.repository';

export type RoundState = 'scheduled' | 'open' | 'closed';

export class RoundResponse {
  @ApiProperty() id: string;
  @ApiProperty() consultationId: string;
  @ApiProperty() documentId: string;
  @ApiProperty() version: number;
  @ApiProperty({ example: 'R1' }) name: string;
  @ApiProperty() number: number;
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({ nullable: true }) closedEarlyAt: string | null;
  @ApiProperty({
    enum: ['scheduled', 'open', 'closed'],
    description: 'From the server clock at the time of the response',
  })
  state: RoundState;
  @ApiProperty() history: {
    action: string;
    actorId: string;
    at: string;
    before: unknown;
    after: unknown;
    reason: string;
  }[];
}

/** Open or closed, from the server clock: [opensAt, closesAt), unless closed early. */
export function roundState(r: Pick<RoundEntity, 'opensAt' | 'closesAt' | 'closedEarlyAt'>, now: Date): RoundState {
  if (r.closedEarlyAt && r.closedEarlyAt <= now) return 'closed';
  if (now < r.opensAt) return 'scheduled';
  if (now >= r.closesAt) return 'closed';
  return 'open';
}

const effectiveEnd = (r: RoundEntity) =>
  r.closedEarlyAt && r.closedEarlyAt < r.closesAt ? r.closedEarlyAt : r.closesAt;

@Injectable()
export class RoundsService {
  constructor(
    private readonly repo: RoundsRepository,
    private readonly documents: DocumentsRepository,
    private readonly access: ConsultationAccess,
    private readonly clock: Clock,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditLog,
  ) {}

  async list(consultationId: string, p: Principal | undefined): Promise<RoundResponse[]> {
    await this.access.readable(consultationId, p);
    const rounds = await this.repo.listForConsultation(consultationId);
    return this.map(rounds);
  }

  /**
   * A chair opens a window on one version. Windows on one document may not overlap, so at most one round
   * per document is ever open; the document row is locked so two chairs cannot race past this check.
   */
  async create(consultationId: string, p: Principal, dto: CreateRoundDto): Promise<RoundResponse> {
    const opensAt = new Date(dto.opensAt);
    const closesAt = new Date(dto.closesAt);
    if (!(closesAt > opensAt)) throw DocumentErrors.roundWindow('closesAt must be after opensAt.');
    if (closesAt <= this.clock.now())
      throw DocumentErrors.roundWindow('closesAt is in the past: a round must close in the future.');
    let events: CommittedEvent[] = [];
    const round = await this.repo.transaction(async (tx) => {
      await this.access.requireChair(consultationId, p, tx);
      const doc = await this.documents.lockDocument(dto.documentId, tx);
      if (!doc || doc.consultationId !== consultationId) throw DocumentErrors.notFound(dto.documentId);
      const version = await this.documents.findVersion(doc.id, dto.version ?? doc.currentVersion, tx);
      if (!version) throw DocumentErrors.versionNotFound(dto.version ?? doc.currentVersion);
      for (const other of await this.repo.listForDocument(doc.id, tx)) {
        if (opensAt < effectiveEnd(other) && other.opensAt < closesAt) throw DocumentErrors.roundOverlap(other.number);
      }
      const number = await this.repo.nextNumber(consultationId, tx);
      const r = await this.repo.insert(
        {
          consultationId,
          documentId: doc.id,
          versionId: version.id,
          number,
          opensAt,
          closesAt,
          closedEarlyAt: null,
          createdBy: p.id,
        },
        tx,
      );
      await this.repo.recordChange(
        {
          roundId: r.id,
          action: 'created',
          actorId: p.id,
          at: this.clock.now(),
          before: null,
          after: { opensAt: dto.opensAt, closesAt: dto.closesAt, version: version.number },
          reason: '',
        },
        tx,
      );
      await this.audit.record(tx, [
        {
          consultationId,
          actor: p,
          action: 'round.created',
          subjectType: 'round',
          subjectId: r.id,
          after: {
            name: `R${number}`,
            version: version.number,
            opensAt: opensAt.toISOString(),
            closesAt: closesAt.toISOString(),
          },
        },
      ]);
      events = await this.outbox.append(tx, consultationId, [
        {
          type: 'round.created',
          audience: 'public',
          data: {
            id: r.id,
            name: `R${number}`,
            documentId: doc.id,
            version: version.number,
            opensAt: opensAt.toISOString(),
            closesAt: closesAt.toISOString(),
          },
        },
      ]);
      return r;
    });
    this.outbox.announce(events);
    return (await this.map([round]))[0];
  }

  /** Extend (a later closesAt) or close now. Both are recorded with who and when. */
  async update(id: string, p: Principal, dto: UpdateRoundDto): Promise<RoundResponse> {
    if (!dto.close && !dto.closesAt)
      throw DocumentErrors.roundWindow('Give closesAt to extend the round, or close: true to close it now.');
    let events: CommittedEvent[] = [];
    const round = await this.repo.transaction(async (tx) => {
      const existing = await this.repo.find(id, tx);
      if (!existing) throw DocumentErrors.roundNotFound(id);
      await this.access.requireChair(existing.consultationId, p, tx);
      await this.documents.lockDocument(existing.documentId, tx);
      const r = (await this.repo.lock(id, tx))!;
      const now = this.clock.now();
      if (roundState(r, now) === 'closed') throw DocumentErrors.roundClosed(r.number);
      const before = { closesAt: r.closesAt.toISOString(), closedEarlyAt: r.closedEarlyAt?.toISOString() ?? null };
      if (dto.close) {
        await this.repo.update(id, { closedEarlyAt: now }, tx);
        await this.repo.recordChange(
          {
            roundId: id,
            action: 'closed',
            actorId: p.id,
            at: now,
            before,
            after: { closedEarlyAt: now.toISOString() },
            reason: dto.reason ?? '',
          },
          tx,
        );
        await this.audit.record(tx, [
          {
            consultationId: r.consultationId,
            actor: p,
            action: 'round.closed',
            subjectType: 'round',
            subjectId: id,
            reason: dto.reason ?? '',
            before,
            after: { closedEarlyAt: now.toISOString() },
          },
        ]);
        events = await this.outbox.append(tx, r.consultationId, [
          {
            type: 'round.closed',
            audience: 'public',
            data: {
              id,
              name: `R${r.number}`,
              documentId: r.documentId,
              closedAt: now.toISOString(),
              reason: dto.reason ?? '',
            },
          },
        ]);
      } else {
        const closesAt = new Date(dto.closesAt!);
        if (closesAt <= r.closesAt)
          throw DocumentErrors.roundWindow('To extend a round, closesAt must be later than its current closing time.');
        for (const other of await this.repo.listForDocument(r.documentId, tx)) {
          if (other.id !== r.id && r.opensAt < effectiveEnd(other) && other.opensAt < closesAt)
            throw DocumentErrors.roundOverlap(other.number);
        }
        await this.repo.update(id, { closesAt }, tx);
        await this.repo.recordChange(
          {
            roundId: id,
            action: 'extended',
            actorId: p.id,
            at: now,
            before,
            after: { closesAt: closesAt.toISOString() },
            reason: dto.reason ?? '',
          },
          tx,
        );
        await this.audit.record(tx, [
          {
            consultationId: r.consultationId,
            actor: p,
            action: 'round.extended',
            subjectType: 'round',
            subjectId: id,
            reason: dto.reason ?? '',
            before,
            after: { closesAt: closesAt.toISOString() },
          },
        ]);
        events = await this.outbox.append(tx, r.consultationId, [
          {
            type: 'round.extended',
            audience: 'public',
            data: {
              id,
              name: `R${r.number}`,
              documentId: r.documentId,
              closesAt: closesAt.toISOString(),
              reason: dto.reason ?? '',
            },
          },
        ]);
      }
      return (await this.repo.find(id, tx))!;
    });
    this.outbox.announce(events);
    return (await this.map([round]))[0];
  }

  private async map(rounds: RoundEntity[]): Promise<RoundResponse[]> {
    const now = this.clock.now();
    const changes = await this.repo.changes(rounds.map((r) => r.id));
    const versions = new Map<string, number>();
    for (const r of rounds) {
      if (!versions.has(r.versionId))
        versions.set(r.versionId, (await this.documents.findVersionById(r.versionId))!.number);
    }
    const byRound = new Map<string, RoundChangeEntity[]>();
    for (const c of changes) byRound.set(c.roundId, [...(byRound.get(c.roundId) ?? []), c]);
    return rounds.map((r) => ({
      id: r.id,
      consultationId: r.consultationId,
      documentId: r.documentId,
      version: versions.get(r.versionId)!,
      name: `R${r.number}`,
      number: r.number,
      opensAt: r.opensAt.toISOString(),
      closesAt: r.closesAt.toISOString(),
      closedEarlyAt: r.closedEarlyAt?.toISOString() ?? null,
      state: roundState(r, now),
      history: (byRound.get(r.id) ?? []).map((c) => ({
        action: c.action,
        actorId: c.actorId,
        at: c.at.toISOString(),
        before: c.before,
        after: c.after,
        reason: c.reason,
      })),
    }));
  }
}
