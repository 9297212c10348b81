import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, Principal, RateLimiter } from '@plenary/accounts';
import { ConsultationAccess, EventOutbox, NewEvent } from '@plenary/consultations';
import {
  atLeast,
  ContributionRecord,
  contributionRef,
  ContributionRecordsService,
  ContributionResponse,
  ContributionsService,
  sight,
} from '@plenary/contributions';
import { APP_CONFIG, AppConfig, Clock, CommittedEvent, CommonErrors } from '@plenary/core';
import type { Tx } from '@plenary/database';
import { ParagraphLookup } from '@plenary/documents';
import { AuditQuery, BulkDecisionDto, DecisionDto, FlagDto, QueueQuery } from './dto/moderation.dto';
import { ModerationErrors } from './moderation.errors';
import { ModerationRepository } from './moderation.repository';

/** What each action does to each status; anything else is refused (409). */
const TRANSITIONS: Record<string, Record<string, string>> = {
  approve: { pending: 'published', hidden: 'published', published: 'published' },
  reject: { pending: 'rejected' },
  hide: { published: 'hidden' },
};

export interface DecisionResult {
  contributionId: string;
  ok: boolean;
  status?: string;
  error?: { code: string; message: string };
}

export interface QueueItem extends ContributionResponse {
  flags: Record<string, number>;
}

@Injectable()
export class ModerationService {
  constructor(
    private readonly repo: ModerationRepository,
    private readonly records: ContributionRecordsService,
    private readonly contributions: ContributionsService,
    private readonly paragraphs: ParagraphLookup,
    private readonly access: ConsultationAccess,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditLog,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One decision on one contribution, by a moderator or chair of its consultation. */
  async decide(contributionId: string, p: Principal, dto: DecisionDto): Promise<DecisionResult> {
    const c = await this.records.find(contributionId);
    if (!c) throw ModerationErrors.contributionNotFound(contributionId);
    await this.access.requireModerator(c.consultationId, p);
    const [result] = await this.apply(c.consultationId, [contributionId], p, dto);
    if (!result.ok)
      throw result.error!.code === 'BAD_DECISION'
        ? ModerationErrors.badTransition(dto.action, result.status!)
        : ModerationErrors.contributionNotFound(contributionId);
    return result;
  }

  /** Many at once (up to 500): one transaction; each id gets its own result, and the valid ones are applied. */
  async decideMany(
    consultationId: string,
    p: Principal,
    dto: BulkDecisionDto,
  ): Promise<{ applied: number; refused: number; results: DecisionResult[] }> {
    await this.access.requireModerator(consultationId, p);
    const results = await this.apply(consultationId, dto.contributionIds, p, dto);
    const applied = results.filter((r) => r.ok).length;
    return { applied, refused: results.length - applied, results };
  }

  /** Checks every id, then applies the valid ones with a few statements whatever their number. */
  private async apply(
    consultationId: string,
    ids: string[],
    p: Principal,
    dto: DecisionDto,
  ): Promise<DecisionResult[]> {
    const now = this.clock.now();
    const { results, events } = await this.repo.transaction(async (tx) => {
      const rows = new Map((await this.records.lockForDecision(ids, tx)).map((c) => [c.id, c]));
      const results: DecisionResult[] = [];
      const valid: { c: ContributionRecord; to: string }[] = [];
      for (const id of ids) {
        const c = rows.get(id);
        if (!c) {
          results.push({
            contributionId: id,
            ok: false,
            error: { code: 'CONTRIBUTION_NOT_FOUND', message: `Contribution ${id} does not exist.` },
          });
          continue;
        }
        if (c.consultationId !== consultationId) {
          const e = ModerationErrors.otherConsultation(id);
          results.push({ contributionId: id, ok: false, error: { code: e.code, message: e.message } });
          continue;
        }
        const to = TRANSITIONS[dto.action][c.status];
        if (!to) {
          const e = ModerationErrors.badTransition(dto.action, c.status);
          results.push({
            contributionId: id,
            ok: false,
            status: c.status,
            error: { code: e.code, message: e.message },
          });
          continue;
        }
        valid.push({ c, to });
        results.push({ contributionId: id, ok: true, status: to });
      }
      if (!valid.length) return { results, events: [] };

      const flagsOutcome = dto.action === 'approve' ? 'dismissed' : 'upheld';
      const flags = await this.repo.resolveFlags(
        valid.map((v) => v.c.id),
        flagsOutcome,
        now,
        tx,
      );
      for (const to of new Set(valid.map((v) => v.to))) {
        const same = valid.filter((v) => v.to === to).map((v) => v.c.id);
        await this.records.applyDecision(
          same,
          { status: to, moderationReason: dto.reason, moderationNote: dto.note ?? null, moderatedAt: now },
          tx,
        );
      }
      await this.repo.insertDecisions(
        valid.map(({ c, to }) => ({
          contributionId: c.id,
          consultationId,
          action: dto.action,
          reason: dto.reason,
          note: dto.note ?? '',
          fromStatus: c.status,
          toStatus: to,
          actorId: p.id,
        })),
        tx,
      );
      const audit: Parameters<AuditLog['record']>[1] = [];
      for (const { c, to } of valid) {
        audit.push({
          consultationId,
          actor: p,
          action: `decision.${dto.action}`,
          subjectType: 'contribution',
          subjectId: c.id,
          reason: [dto.reason, dto.note].filter(Boolean).join(': '),
          before: { status: c.status, review: c.review, trackingNumber: c.trackingNumber },
          after: { status: to },
        });
        const closed = flags.get(c.id);
        if (closed) {
          audit.push({
            consultationId,
            actor: p,
            action: `flags.${flagsOutcome}`,
            subjectType: 'contribution',
            subjectId: c.id,
            reason: dto.reason,
            before: { openFlags: closed },
            after: { openFlags: 0 },
          });
        }
      }
      await this.audit.record(tx, audit);
      const events = await this.outbox.append(
        tx,
        consultationId,
        valid.flatMap(({ c, to }) => this.decisionEvents(c, to, dto, now)),
      );
      return { results, events };
    });
    this.outbox.announce(events as CommittedEvent[]);
    return results;
  }

  /**
   * What watchers learn from a decision: which contribution, where, its new status and the reason code. Never its
   * text nor the moderator's note: events are kept and replayed, and delivery reads the contribution as each reader
   * may see it at that moment (so a later hide takes the text back).
   */
  private decisionEvents(c: ContributionRecord, to: string, dto: DecisionDto, at: Date): NewEvent[] {
    const moderation = { action: dto.action, reason: dto.reason, at: at.toISOString() };
    if (to === 'published' && c.status !== 'published') {
      return [
        {
          type: 'contribution.published',
          audience: 'public',
          subjectUserId: c.authorId,
          data: { ...contributionRef(c), status: to, moderation },
        },
      ];
    }
    if (to === 'hidden' && c.status === 'published') {
      return [
        {
          type: 'contribution.hidden',
          audience: 'public',
          data: { ...contributionRef(c), status: to, reason: dto.reason },
        },
      ];
    }
    return [
      {
        type: 'contribution.moderated',
        audience: 'moderators',
        subjectUserId: c.authorId,
        data: { ...contributionRef(c), status: to, moderation },
      },
    ];
  }

  /**
   * Any signed-in user reports a contribution whose text they can see, once. Flags never unpublish anything by
   * themselves (that would let a few accounts silence anyone); they put it back in the moderation queue: at the
   * configured number of flags, or at once and marked urgent when someone says it was falsely attributed to them.
   */
  async flag(
    contributionId: string,
    p: Principal,
    dto: FlagDto,
  ): Promise<{ flagged: true; openFlags: number; review: string | null }> {
    await this.limiter.hit('flags', p.id, this.config.flagRateLimit, 60);
    const c = await this.records.find(contributionId);
    if (!c || !atLeast(sight(c, await this.contributions.viewer(c.consultationId, p)), 'text'))
      throw ModerationErrors.contributionNotFound(contributionId);
    await this.access.readable(c.consultationId, p);
    if (c.authorId === p.id) throw ModerationErrors.ownContribution();
    const { result, events } = await this.repo.transaction(async (tx) => {
      const [locked] = await this.records.lockForDecision([contributionId], tx);
      if (
        !(await this.repo.insertFlag(
          { contributionId, consultationId: c.consultationId, userId: p.id, reason: dto.reason, note: dto.note ?? '' },
          tx,
        ))
      ) {
        throw ModerationErrors.alreadyFlagged();
      }
      const open = await this.repo.countOpenFlags(contributionId, tx);
      let review = locked.review;
      if (dto.reason === 'falsely_attributed') review = 'urgent';
      else if (!review && open >= this.config.flagReviewThreshold) review = 'flagged';
      await this.records.markForReview(contributionId, review, tx);
      const events =
        review !== locked.review
          ? await this.outbox.append(tx, c.consultationId, [
              {
                type: 'contribution.flagged',
                audience: 'moderators',
                data: { ...contributionRef(locked), status: locked.status, review, openFlags: open },
              },
            ])
          : [];
      return { result: { flagged: true as const, openFlags: open, review }, events };
    });
    this.outbox.announce(events);
    return result;
  }

  /** The queue: pending contributions and published ones back in review, oldest first, with counts. */
  async queue(consultationId: string, p: Principal, q: QueueQuery) {
    await this.access.requireModerator(consultationId, p);
    const viewer = await this.contributions.viewer(consultationId, p);
    let lineage: { documentId?: string; lineageKey?: string } = {};
    if (q.paragraph) {
      const place = await this.paragraphs.place(q.paragraph);
      if (!place || place.consultationId !== consultationId) throw CommonErrors.notFound('Paragraph', q.paragraph);
      lineage = { documentId: place.documentId, lineageKey: place.lineageKey };
    }
    const limit = q.limit ?? 100;
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const [rows, counts] = await Promise.all([
      this.records.queue(
        {
          consultationId,
          ...lineage,
          group: q.group,
          region: q.region,
          flagged: q.flagged as 'true' | 'false' | 'urgent' | undefined,
          afterSeq: after,
          limit: limit + 1,
        },
        viewer,
      ),
      this.records.queueCounts(consultationId),
    ]);
    const page = rows.slice(0, limit);
    const flags = await this.repo.openFlagSummaries(
      page.filter((r) => (r.contribution.flagCount ?? 0) > 0).map((r) => r.contribution.id),
    );
    const items: QueueItem[] = page.map((r) => ({ ...r.contribution, flags: flags.get(r.contribution.id) ?? {} }));
    return { counts, items, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].seq) : null };
  }

  async auditTrail(consultationId: string, p: Principal, q: AuditQuery) {
    await this.access.requireModerator(consultationId, p);
    const limit = q.limit ?? 100;
    const before = q.cursor ? decodeAuditCursor(q.cursor) : undefined;
    const entries = await this.audit.list(consultationId, limit + 1, before, q.action);
    const page = entries.slice(0, limit);
    const last = page[page.length - 1];
    return {
      entries: page,
      nextCursor: entries.length > limit && last ? Buffer.from(`${last.at}|${last.id}`).toString('base64url') : null,
    };
  }
}

export function encodeCursor(seq: number): string {
  return Buffer.from(`q:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const m = /^q:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m)
    throw CommonErrors.validation('cursor is not one this server gave out; start again without it.', {
      fields: [{ field: 'cursor', problems: ['unknown cursor'] }],
    });
  return Number(m[1]);
}

function decodeAuditCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const d = new Date(at);
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(d.getTime())) {
    throw CommonErrors.validation('cursor is not one this server gave out; start again without it.', {
      fields: [{ field: 'cursor', problems: ['unknown cursor'] }],
    });
  }
  return { at: d, id };
}

export type { Tx };
