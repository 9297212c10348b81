import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, Principal, RateLimiter } from '@plenary/accounts';
import { ConsultationAccess, EventOutbox, NewEvent } from '@plenary/consultations';
import { ContributionEntity, ContributionResponse, mapContribution } from '@plenary/contributions';
import { APP_CONFIG, AppConfig, Clock, CommittedEvent, CommonErrors } from '@plenary/core';
import type { Tx } from '@plenary/database';
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

const ref = (c: ContributionEntity) => ({ id: c.id, trackingNumber: c.trackingNumber, documentId: c.documentId, paragraphId: c.paragraphId, lineageKey: c.lineageKey });

@Injectable()
export class ModerationService {
  constructor(
    private readonly repo: ModerationRepository,
    private readonly access: ConsultationAccess,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditLog,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One decision on one contribution, by a moderator or chair of its consultation. */
  async decide(contributionId: string, p: Principal, dto: DecisionDto): Promise<DecisionResult> {
    const c = await this.repo.findContribution(contributionId);
    if (!c) throw ModerationErrors.contributionNotFound(contributionId);
    await this.access.requireModerator(c.consultationId, p);
    const [result] = await this.apply(c.consultationId, [contributionId], p, dto);
    if (!result.ok) throw result.error!.code === 'BAD_DECISION' ? ModerationErrors.badTransition(dto.action, result.status!) : ModerationErrors.contributionNotFound(contributionId);
    return result;
  }

  /** Many at once (up to 500): one transaction; each id gets its own result, and the valid ones are applied. */
  async decideMany(consultationId: string, p: Principal, dto: BulkDecisionDto): Promise<{ applied: number; refused: number; results: DecisionResult[] }> {
    await this.access.requireModerator(consultationId, p);
    const results = await this.apply(consultationId, dto.contributionIds, p, dto);
    const applied = results.filter((r) => r.ok).length;
    return { applied, refused: results.length - applied, results };
  }

  private async apply(consultationId: string, ids: string[], p: Principal, dto: DecisionDto): Promise<DecisionResult[]> {
    const now = this.clock.now();
    const { results, events } = await this.repo.transaction(async (tx) => {
      const rows = new Map((await this.repo.lockContributions(ids, tx)).map((c) => [c.id, c]));
      const results: DecisionResult[] = [];
      const decisions: Parameters<ModerationRepository['insertDecisions']>[0] = [];
      const audit: Parameters<AuditLog['record']>[1] = [];
      const newEvents: NewEvent[] = [];
      for (const id of ids) {
        const c = rows.get(id);
        if (!c) {
          results.push({ contributionId: id, ok: false, error: { code: 'CONTRIBUTION_NOT_FOUND', message: `Contribution ${id} does not exist.` } });
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
          results.push({ contributionId: id, ok: false, status: c.status, error: { code: e.code, message: e.message } });
          continue;
        }
        const flagsOutcome = dto.action === 'approve' ? 'dismissed' : 'upheld';
        const flags = await this.repo.resolveFlags(id, flagsOutcome, now, tx);
        const patch = { status: to, moderationReason: dto.reason, moderationNote: dto.note ?? null, moderatedAt: now, review: null };
        await this.repo.patchContributions([id], patch, tx);
        decisions.push({ contributionId: id, consultationId, action: dto.action, reason: dto.reason, note: dto.note ?? '', fromStatus: c.status, toStatus: to, actorId: p.id });
        audit.push({
          consultationId,
          actor: p,
          action: `decision.${dto.action}`,
          subjectType: 'contribution',
          subjectId: id,
          reason: [dto.reason, dto.note].filter(Boolean).join(': '),
          before: { status: c.status, review: c.review, trackingNumber: c.trackingNumber },
          after: { status: to },
        });
        if (flags) {
          audit.push({ consultationId, actor: p, action: `flags.${flagsOutcome}`, subjectType: 'contribution', subjectId: id, reason: dto.reason, before: { openFlags: flags }, after: { openFlags: 0 } });
        }
        newEvents.push(...this.decisionEvents({ ...c, ...patch } as ContributionEntity, c.status, dto));
        results.push({ contributionId: id, ok: true, status: to });
      }
      await this.repo.insertDecisions(decisions, tx);
      await this.audit.record(tx, audit);
      const events = newEvents.length ? await this.outbox.append(tx, consultationId, newEvents) : [];
      return { results, events };
    });
    this.outbox.announce(events as CommittedEvent[]);
    return results;
  }

  /** What watchers learn from a decision; the public never gets the text of a hidden or rejected contribution. */
  private decisionEvents(after: ContributionEntity, from: string, dto: DecisionDto): NewEvent[] {
    const moderation = { action: dto.action, reason: dto.reason, at: after.moderatedAt!.toISOString() };
    if (after.status === 'published' && from !== 'published') {
      const data = mapContribution(after, { endorsements: new Map(), paragraphTexts: new Map() }) as unknown as Record<string, unknown>;
      return [{ type: 'contribution.published', audience: 'public', subjectUserId: after.authorId, data: { ...data, moderation } }];
    }
    if (after.status === 'hidden' && from === 'published') {
      return [{ type: 'contribution.hidden', audience: 'public', data: { ...ref(after), status: 'hidden', reason: dto.reason } }];
    }
    return [{ type: 'contribution.moderated', audience: 'moderators', subjectUserId: after.authorId, data: { ...ref(after), status: after.status, moderation: { ...moderation, note: dto.note ?? '' } } }];
  }

  /**
   * Any signed-in user reports a contribution they can see, once. Flags never unpublish anything by themselves
   * (that would let a few accounts silence anyone); they put it back in the moderation queue: at the configured
   * number of flags, or at once and marked urgent when someone says it was falsely attributed to them.
   */
  async flag(contributionId: string, p: Principal, dto: FlagDto): Promise<{ flagged: true; openFlags: number; review: string | null }> {
    await this.limiter.hit('flags', p.id, this.config.flagRateLimit, 60);
    const c = await this.repo.findContribution(contributionId);
    const visible = c && (c.status === 'published' || c.authorId === p.id || (await this.access.isModerator(c.consultationId, p)));
    if (!c || !visible) throw ModerationErrors.contributionNotFound(contributionId);
    await this.access.readable(c.consultationId, p);
    if (c.authorId === p.id) throw ModerationErrors.ownContribution();
    const { result, events } = await this.repo.transaction(async (tx) => {
      const [locked] = await this.repo.lockContributions([contributionId], tx);
      if (!(await this.repo.insertFlag({ contributionId, consultationId: c.consultationId, userId: p.id, reason: dto.reason, note: dto.note ?? '' }, tx))) {
        throw ModerationErrors.alreadyFlagged();
      }
      const open = await this.repo.countOpenFlags(contributionId, tx);
      let review = locked.review;
      if (dto.reason === 'falsely_attributed') review = 'urgent';
      else if (!review && open >= this.config.flagReviewThreshold) review = 'flagged';
      await this.repo.patchContributions([contributionId], { flagCount: locked.flagCount + 1, review }, tx);
      const events =
        review !== locked.review
          ? await this.outbox.append(tx, c.consultationId, [
              { type: 'contribution.flagged', audience: 'moderators', data: { ...ref(locked), review, openFlags: open, status: locked.status } },
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
    let lineage: { documentId?: string; lineageKey?: string } = {};
    if (q.paragraph) {
      const l = await this.repo.paragraphLineage(q.paragraph);
      if (!l || l.consultationId !== consultationId) throw CommonErrors.notFound('Paragraph', q.paragraph);
      lineage = l;
    }
    const limit = q.limit ?? 100;
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const [rows, counts] = await Promise.all([
      this.repo.queue({ consultationId, ...lineage, group: q.group, region: q.region, flagged: q.flagged as 'true' | 'false' | 'urgent' | undefined, afterSeq: after, limit: limit + 1 }),
      this.repo.queueCounts(consultationId),
    ]);
    const page = rows.slice(0, limit);
    const flags = await this.repo.openFlagSummaries(page.filter((c) => c.flagCount > 0).map((c) => c.id));
    const items: QueueItem[] = page.map((c) => ({
      ...mapContribution(c, { endorsements: new Map(), paragraphTexts: new Map(), moderator: true }),
      flags: flags.get(c.id) ?? {},
    }));
    return { counts, items, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].seq) : null };
  }

  async auditTrail(consultationId: string, p: Principal, q: AuditQuery) {
    await this.access.requireModerator(consultationId, p);
    const limit = q.limit ?? 100;
    const before = q.cursor ? decodeAuditCursor(q.cursor) : undefined;
    const entries = await this.audit.list(consultationId, limit + 1, before, q.action);
    const page = entries.slice(0, limit);
    const last = page[page.length - 1];
    return { entries: page, nextCursor: entries.length > limit && last ? Buffer.from(`${last.at}|${last.id}`).toString('base64url') : null };
  }
}

export function encodeCursor(seq: number): string {
  return Buffer.from(`q:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const m = /^q:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw CommonErrors.validation('cursor is not one this server gave out; start again without it.', { fields: [{ field: 'cursor', problems: ['unknown cursor'] }] });
  return Number(m[1]);
}

function decodeAuditCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const d = new Date(at);
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(d.getTime())) {
    throw CommonErrors.validation('cursor is not one this server gave out; start again without it.', { fields: [{ field: 'cursor', problems: ['unknown cursor'] }] });
  }
  return { at: d, id };
}

export type { Tx };
