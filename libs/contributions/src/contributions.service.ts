import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Principal, RateLimiter } from '@plenary/accounts';
import { ConsultationAccess, EventOutbox, NewEvent } from '@plenary/consultations';
import { APP_CONFIG, AppConfig, Clock, CommittedEvent, CommonErrors, DomainError } from '@plenary/core';
import type { Tx } from '@plenary/database';
import { roundState, wordDiff } from '@plenary/documents';
import type { ContributionEntity } from './contribution.entity';
import { contributionRef } from './contribution-ref';
import { ContributionTargets } from './contribution-targets';
import { ContributionErrors } from './contributions.errors';
import {
  ContributionsRepository,
  ModerationState,
  NewContribution,
  SubmissionContext,
  TargetFacts,
} from './contributions.repository';
import {
  CreateContributionDto,
  ListContributionsQuery,
  UpdateContributionDto,
  ThreadQuery,
} from './dto/contribution.dto';
import { PUBLIC_VIEWER, seesHistory, sight, Sight, Viewer } from './visibility.policy';
import {
  buildThreads,
  ContributionPage,
  ContributionResponse,
  emptyByGroup,
  mapContribution,
  ThreadResponse,
} from './dto/contribution.response';

export type SubmissionTarget = { paragraphId: string } | { documentId: string };
type Round = SubmissionContext['rounds'][number];

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The receipt's content hash: sha256 of the JSON array [kind, body, proposedText, onBehalfOf] (null when absent). */
export function contentHash(c: {
  kind: string;
  body: string;
  proposedText: string | null;
  onBehalfOf: string | null;
}): string {
  return sha256(JSON.stringify([c.kind, c.body, c.proposedText, c.onBehalfOf]));
}

const NO_MODERATION: ModerationState = {
  moderationReason: null,
  moderationNote: null,
  moderatedAt: null,
  review: null,
  flagCount: 0,
  disposition: null,
  dispositionResponse: null,
  disposedAt: null,
  resultingParagraphId: null,
};

const ref = contributionRef;

const effectiveEnd = (r: Round) => (r.closedEarlyAt && r.closedEarlyAt < r.closesAt ? r.closedEarlyAt : r.closesAt);

/** Why no round accepts input now: the next one to open, else the last one closed. */
function windowError(rounds: Round[], now: Date): DomainError {
  const next = rounds.filter((r) => roundState(r, now) === 'scheduled').sort((a, b) => +a.opensAt - +b.opensAt)[0];
  if (next) return ContributionErrors.roundNotYetOpen(`R${next.number}`, next.opensAt);
  const last = [...rounds].sort((a, b) => +effectiveEnd(b) - +effectiveEnd(a))[0];
  if (last) return ContributionErrors.roundClosed(`R${last.number}`, effectiveEnd(last));
  return ContributionErrors.noRound();
}

@Injectable()
export class ContributionsService {
  constructor(
    private readonly repo: ContributionsRepository,
    private readonly targets: ContributionTargets,
    private readonly access: ConsultationAccess,
    private readonly outbox: EventOutbox,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A participant submits a comment, amendment or reply. Accepted only while a round on the target's
   * version is open; the receipt (tracking number, time, content hash) is issued in the same statement
   * as the row. With an Idempotency-Key, a retry of the same request returns the first result.
   */
  async submit(
    target: SubmissionTarget,
    p: Principal,
    dto: CreateContributionDto,
    idempotencyKey?: string,
  ): Promise<{ contribution: ContributionResponse; replayed: boolean }> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey))
      throw ContributionErrors.badIdempotencyKey();
    if (dto.kind === 'amendment' && dto.proposedText === undefined) throw ContributionErrors.proposedTextRequired();
    if (dto.kind !== 'amendment' && dto.proposedText !== undefined) throw ContributionErrors.proposedTextNotAllowed();
    if (dto.kind === 'reply' && !dto.parentId) throw ContributionErrors.parentRequired();
    if (dto.kind !== 'reply' && dto.parentId) throw ContributionErrors.parentNotAllowed();
    const requestHash = sha256(
      JSON.stringify([
        target,
        dto.kind,
        dto.body,
        dto.proposedText ?? null,
        dto.parentId ?? null,
        dto.onBehalfOf ?? null,
      ]),
    );

    try {
      await this.limiter.hit('submissions', p.id, this.config.submissionRateLimit, this.config.submissionRateWindow);
    } catch (e) {
      // A retry of a request that already succeeded gets its receipt, not a 429.
      const replay = idempotencyKey ? await this.replay(p, idempotencyKey, requestHash).catch(() => null) : null;
      if (replay) return { contribution: replay, replayed: true };
      throw e;
    }

    const t =
      'paragraphId' in target
        ? await this.targets.paragraph(target.paragraphId)
        : await this.targets.document(target.documentId);
    if (!t)
      throw 'paragraphId' in target
        ? ContributionErrors.paragraphNotFound(target.paragraphId)
        : CommonErrors.notFound('Document', target.documentId);
    if (dto.onBehalfOf !== undefined && p.profile.capacity !== 'representative')
      throw ContributionErrors.notRepresentative();
    if (dto.kind === 'amendment' && !t.paragraphId) throw ContributionErrors.amendmentNeedsParagraph();

    let thread = { parentId: null as string | null, threadRootId: null as string | null, depth: 0 };
    if (dto.parentId) {
      const parent = await this.repo.findById(dto.parentId);
      const sameTarget = parent && parent.documentId === t.documentId && parent.lineageKey === t.lineageKey;
      // One may answer what one can read, while it is still in play (published, or pending for its author and moderators).
      const answerable =
        parent &&
        (parent.status === 'published' || parent.status === 'pending') &&
        sight(parent, await this.viewer(t.consultationId, p)) === 'text';
      if (!parent || !sameTarget || !answerable) throw ContributionErrors.badParent();
      thread = { parentId: parent.id, threadRootId: parent.threadRootId ?? parent.id, depth: parent.depth + 1 };
    }

    const now = this.clock.now();
    const content = {
      kind: dto.kind,
      body: dto.body,
      proposedText: dto.proposedText ?? null,
      onBehalfOf: dto.onBehalfOf ?? null,
    };
    const author = p.profile;
    const row: NewContribution = {
      id: randomUUID(),
      consultationId: t.consultationId,
      documentId: t.documentId,
      versionId: t.versionId,
      versionNumber: t.versionNumber,
      paragraphId: t.paragraphId,
      paragraphLabel: t.paragraphLabel,
      lineageKey: t.lineageKey,
      ...thread,
      ...content,
      diff:
        dto.kind === 'amendment' && t.paragraphText !== null ? wordDiff(t.paragraphText, content.proposedText!) : null,
      contentHash: contentHash(content),
      authorId: p.id,
      authorName: p.displayName,
      authorGroup: author.stakeholderGroup,
      authorOrganisation: author.organisation,
      authorCountry: author.country,
      authorRegion: author.region,
      authorCapacity: author.capacity,
      authorVerified: author.verified,
      submittedAt: now,
      editedAt: null,
      editCount: 0,
      withdrawnAt: null,
      endorsementCount: 0,
    };
    // What the event carries: where, never the words (the statement fills in number, round and status).
    const { trackingNumber: _unnumbered, ...place } = ref({ ...row, trackingNumber: '' });
    const eventData: Record<string, unknown> = { ...place, parentId: row.parentId, submittedAt: now.toISOString() };
    const outcome = await this.repo.insert(
      row,
      t,
      now,
      eventData,
      idempotencyKey
        ? { key: idempotencyKey, requestHash, expiredBefore: new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS) }
        : undefined,
    );
    if (outcome.kind === 'no_open_round') throw await this.whyRefused(target, p, now);
    if (outcome.kind === 'key_taken') {
      const replay = await this.replay(p, idempotencyKey!, requestHash);
      if (!replay)
        throw CommonErrors.conflict('This Idempotency-Key is being used by another request; retry in a moment.');
      return { contribution: replay, replayed: true };
    }
    this.outbox.announce([outcome.event]);
    const { kind: _, event: __, ...numbers } = outcome;
    const entity = { ...row, ...NO_MODERATION, ...numbers } as ContributionEntity;
    return {
      contribution: mapContribution(entity, {
        viewer: { userId: p.id, moderator: false },
        endorsements: new Map(),
        endorsedByMe: new Set(),
      }),
      replayed: false,
    };
  }

  /** Why a submission found no open round: a draft (404 to outsiders), a closed consultation, or the window. */
  private async whyRefused(target: SubmissionTarget, p: Principal, now: Date): Promise<DomainError> {
    const ctx = await this.targets.context(target);
    if (!ctx)
      return 'paragraphId' in target
        ? ContributionErrors.paragraphNotFound(target.paragraphId)
        : CommonErrors.notFound('Document', target.documentId);
    if (ctx.consultationStatus !== 'open') {
      await this.access.readable(ctx.consultationId, p);
      return ContributionErrors.consultationNotOpen(ctx.consultationStatus);
    }
    if (ctx.rounds.some((r) => roundState(r, now) === 'open'))
      return CommonErrors.conflict('The round changed while you were submitting. Submit again.');
    return windowError(ctx.rounds, now);
  }

  /** The first result of a keyed request, or 422 when the key was used for a different request. */
  private async replay(p: Principal, key: string, requestHash: string): Promise<ContributionResponse | null> {
    const found = await this.repo.findIdempotencyKey(p.id, key);
    if (!found || found.createdAt.getTime() <= this.clock.now().getTime() - IDEMPOTENCY_WINDOW_MS) return null;
    if (found.requestHash !== requestHash) throw ContributionErrors.idempotencyMismatch();
    return this.get(found.contributionId, p);
  }

  /** One contribution, with its receipt; earlier texts for its author and the consultation's moderators. */
  async get(id: string, p: Principal | undefined): Promise<ContributionResponse> {
    const c = await this.repo.findById(id);
    if (!c) throw ContributionErrors.notFound(id);
    const viewer = await this.viewer(c.consultationId, p);
    const privileged = seesHistory(c, viewer);
    const readable =
      privileged ||
      (await this.access.readable(c.consultationId, p).then(
        () => true,
        () => false,
      ));
    if (!readable || sight(c, viewer) === 'none') throw ContributionErrors.notFound(id);
    const [mapped] = await this.mapAll([c], viewer, privileged ? await this.repo.revisions(c.id) : undefined);
    return mapped;
  }

  async paragraphThread(paragraphId: string, p: Principal | undefined, q: ThreadQuery = {}): Promise<ThreadResponse> {
    const ctx = await this.targets.paragraph(paragraphId);
    if (!ctx) throw ContributionErrors.paragraphNotFound(paragraphId);
    return this.thread(ctx, p, q);
  }

  async documentThread(documentId: string, p: Principal | undefined, q: ThreadQuery = {}): Promise<ThreadResponse> {
    const ctx = await this.targets.document(documentId);
    if (!ctx) throw CommonErrors.notFound('Document', documentId);
    return this.thread(ctx, p, q);
  }

  /** One page of a thread: up to `limit` top-level contributions, oldest first, each with all its replies. */
  private async thread(ctx: TargetFacts, p: Principal | undefined, q: ThreadQuery): Promise<ThreadResponse> {
    await this.access.readable(ctx.consultationId, p);
    const viewer = await this.viewer(ctx.consultationId, p);
    const limit = q.limit ?? 100;
    const after = q.cursor ? decodeThreadCursor(q.cursor) : 0;
    const { roots, replies } = await this.repo.threadPage(ctx.documentId, ctx.lineageKey, viewer, after, limit);
    const page = roots.slice(0, limit);
    const rows = [...page, ...replies].sort((a, b) => a.seq - b.seq);
    const items = await this.mapAll(rows, viewer);
    return {
      documentId: ctx.documentId,
      paragraphId: ctx.paragraphId,
      lineageKey: ctx.lineageKey,
      total: items.length,
      items: buildThreads(items),
      nextCursor:
        roots.length > limit ? Buffer.from(`seq:${page[page.length - 1].seq}`, 'utf8').toString('base64url') : null,
    };
  }

  /** A consultation's contributions, filtered, in a stable order, one page at a time. */
  async list(consultationId: string, p: Principal | undefined, q: ListContributionsQuery): Promise<ContributionPage> {
    await this.access.readable(consultationId, p);
    if (q.mine === 'true' && !p) throw CommonErrors.unauthenticated('Sign in to see your own contributions.');
    let lineage: { documentId?: string; lineageKey?: string } = { documentId: q.document };
    if (q.paragraph) {
      const ctx = await this.targets.paragraph(q.paragraph);
      if (!ctx || ctx.consultationId !== consultationId) throw ContributionErrors.paragraphNotFound(q.paragraph);
      lineage = { documentId: ctx.documentId, lineageKey: ctx.lineageKey ?? undefined };
    }
    const limit = q.limit ?? 50;
    const order = q.order ?? 'asc';
    const viewer = await this.viewer(consultationId, p);
    const rows = await this.repo.list(
      {
        consultationId,
        ...lineage,
        group: q.group,
        region: q.region,
        country: q.country,
        kind: q.kind,
        status: q.status,
        q: q.q?.trim() || undefined,
        authorId: q.mine === 'true' ? p!.id : undefined,
        after: q.cursor ? decodeCursor(q.cursor, order) : undefined,
        order,
        limit: limit + 1,
      },
      viewer,
    );
    const page = rows.slice(0, limit);
    return {
      items: await this.mapAll(page, viewer),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1], order) : null,
    };
  }

  /** The author edits while the round is open; the previous text is kept as a revision. */
  async edit(id: string, p: Principal, dto: UpdateContributionDto): Promise<ContributionResponse> {
    if (dto.body === undefined && dto.proposedText === undefined && dto.onBehalfOf === undefined)
      throw ContributionErrors.nothingToEdit();
    // Each edit keeps a revision and tells watchers: without a limit one account could flood both.
    await this.limiter.hit('edits', p.id, this.config.editRateLimit, this.config.actionRateWindow);
    await this.changeAndAnnounce(async (tx) => {
      const c = await this.authorsOwn(id, p, tx);
      if (dto.proposedText !== undefined && c.kind !== 'amendment') throw ContributionErrors.proposedTextNotAllowed();
      if (dto.onBehalfOf !== undefined && c.authorCapacity !== 'representative')
        throw ContributionErrors.notRepresentative();
      const now = this.clock.now();
      const content = {
        kind: c.kind,
        body: dto.body ?? c.body,
        proposedText: dto.proposedText ?? c.proposedText,
        onBehalfOf: dto.onBehalfOf ?? c.onBehalfOf,
      };
      if (content.body === c.body && content.proposedText === c.proposedText && content.onBehalfOf === c.onBehalfOf)
        return [];
      await this.repo.saveRevision(
        {
          contributionId: c.id,
          revision: c.editCount + 1,
          body: c.body,
          proposedText: c.proposedText,
          onBehalfOf: c.onBehalfOf,
          contentHash: c.contentHash,
          status: c.status,
          writtenAt: c.editedAt ?? c.submittedAt,
          replacedAt: now,
        },
        tx,
      );
      // Under pre-moderation an edited text has not been seen by a moderator: it goes back to the queue.
      const policy = await this.targets.moderationPolicy(c.consultationId, tx);
      const paragraphText =
        c.kind === 'amendment' && c.paragraphId
          ? ((await this.targets.paragraph(c.paragraphId))?.paragraphText ?? null)
          : null;
      const patch = {
        body: content.body,
        proposedText: content.proposedText,
        diff:
          paragraphText !== null && content.proposedText !== null
            ? wordDiff(paragraphText, content.proposedText)
            : null,
        onBehalfOf: content.onBehalfOf,
        contentHash: contentHash(content),
        editedAt: now,
        editCount: c.editCount + 1,
        status: policy === 'pre' ? 'pending' : c.status,
      };
      await this.repo.update(c.id, patch, tx);
      const data = { ...ref(c), status: patch.status, editCount: patch.editCount, editedAt: now.toISOString() };
      const events: NewEvent[] = [
        {
          type: 'contribution.edited',
          audience: patch.status === 'published' ? 'public' : 'moderators',
          subjectUserId: c.authorId,
          data,
        },
      ];
      // The public saw it; now it waits for a moderator again: tell them it left the page (without the text).
      if (c.status === 'published' && patch.status !== 'published') {
        events.push({ type: 'contribution.unlisted', audience: 'public', data: { ...ref(c), status: patch.status } });
      }
      return this.outbox.append(tx, c.consultationId, events);
    });
    return this.get(id, p);
  }

  /** The author withdraws while the round is open; the contribution stays in the record as withdrawn. */
  async withdraw(id: string, p: Principal): Promise<ContributionResponse> {
    await this.changeAndAnnounce(async (tx) => {
      const c = await this.authorsOwn(id, p, tx);
      const withdrawnAt = this.clock.now();
      await this.repo.update(c.id, { status: 'withdrawn', withdrawnAt }, tx);
      return this.outbox.append(tx, c.consultationId, [
        {
          type: 'contribution.withdrawn',
          audience: c.status === 'published' ? 'public' : 'moderators',
          subjectUserId: c.authorId,
          data: { ...ref(c), status: 'withdrawn', withdrawnAt: withdrawnAt.toISOString() },
        },
      ]);
    });
    return this.get(id, p);
  }

  /** Co-signs a published contribution of someone else while a round is open on its document. */
  async endorse(id: string, p: Principal): Promise<ContributionResponse> {
    await this.limiter.hit('endorsements', p.id, this.config.endorsementRateLimit, this.config.actionRateWindow);
    await this.changeAndAnnounce(async (tx) => {
      const c = await this.endorsable(id, p, tx);
      if (c.authorId === p.id) throw ContributionErrors.ownContribution();
      const me = p.profile;
      const ok = await this.repo.insertEndorsement(
        {
          contributionId: c.id,
          userId: p.id,
          userGroup: me.stakeholderGroup,
          userRegion: me.region,
          userCountry: me.country,
          createdAt: this.clock.now(),
        },
        tx,
      );
      if (!ok) throw ContributionErrors.alreadyEndorsed();
      return this.endorsementEvent('contribution.endorsed', c, me.stakeholderGroup, tx);
    });
    return this.get(id, p);
  }

  async unendorse(id: string, p: Principal): Promise<ContributionResponse> {
    await this.limiter.hit('endorsements', p.id, this.config.endorsementRateLimit, this.config.actionRateWindow);
    await this.changeAndAnnounce(async (tx) => {
      const c = await this.endorsable(id, p, tx);
      if (!(await this.repo.withdrawEndorsement(c.id, p.id, this.clock.now(), tx)))
        throw ContributionErrors.notEndorsed();
      return this.endorsementEvent('contribution.unendorsed', c, p.profile.stakeholderGroup, tx);
    });
    return this.get(id, p);
  }

  private async endorsementEvent(type: string, c: ContributionEntity, group: string, tx: Tx) {
    const byGroup = { ...emptyByGroup(), ...((await this.repo.endorsementsByGroup([c.id], tx)).get(c.id) ?? {}) };
    const total = Object.values(byGroup).reduce((a, b) => a + b, 0);
    return this.outbox.append(tx, c.consultationId, [
      { type, audience: 'public', data: { ...ref(c), group, endorsements: { total, byGroup } } },
    ]);
  }

  /** Runs a change whose transaction writes its events, then hands the committed events to listeners. */
  private async changeAndAnnounce(work: (tx: Tx) => Promise<CommittedEvent[]>): Promise<void> {
    const events = await this.repo.transaction(work);
    this.outbox.announce(events);
  }

  /** Tracking numbers of published contributions accepted (fully or in part), by paragraph lineage. */
  acceptedByLineage(documentId: string): Promise<Map<string, string[]>> {
    return this.repo.acceptedByLineage(documentId);
  }

  /** Published counts per paragraph lineage (null: general comments) of one document. */
  documentCounts(documentId: string) {
    return this.repo.documentCounts(documentId);
  }

  private async endorsable(id: string, p: Principal, tx: Tx): Promise<ContributionEntity> {
    const c = await this.repo.lockById(id, tx);
    if (!c || sight(c, await this.viewer(c.consultationId, p, tx)) === 'none') throw ContributionErrors.notFound(id);
    if (c.status !== 'published') throw ContributionErrors.notPublished();
    if (!(await this.targets.documentRoundOpen(c.documentId, this.clock.now(), tx))) {
      throw windowError([await this.targets.roundWindow(c.roundId, tx)], this.clock.now());
    }
    return c;
  }

  /** Locks the caller's own contribution for a change: still pending or published, its round still open. */
  private async authorsOwn(id: string, p: Principal, tx: Tx): Promise<ContributionEntity> {
    const c = await this.repo.lockById(id, tx);
    if (!c) throw ContributionErrors.notFound(id);
    if (c.authorId !== p.id) {
      if (sight(c, await this.viewer(c.consultationId, p, tx)) !== 'none') throw ContributionErrors.notAuthor();
      throw ContributionErrors.notFound(id);
    }
    if (c.status !== 'pending' && c.status !== 'published') throw ContributionErrors.notEditable(c.status);
    const now = this.clock.now();
    const round = await this.targets.roundWindow(c.roundId, tx);
    if (roundState(round, now) !== 'open') throw windowError([round], now);
    return c;
  }

  /** Who `p` is as a reader of one consultation, for the visibility policy. */
  async viewer(consultationId: string, p: Principal | undefined, tx?: Tx): Promise<Viewer> {
    if (!p) return PUBLIC_VIEWER;
    return { userId: p.id, moderator: await this.access.isModerator(consultationId, p, tx) };
  }

  /**
   * What `viewer` may see today of each of these contributions of one consultation (absent ids: `none`), with
   * the current status and moderator's reason code, so that a stored snapshot (a report) can be served under
   * today's policy.
   */
  async sights(
    consultationId: string,
    ids: string[],
    viewer: Viewer,
  ): Promise<Map<string, { sight: Sight; status: string; reason: string | null }>> {
    const rows = await this.repo.statuses(consultationId, ids);
    return new Map(rows.map((r) => [r.id, { sight: sight(r, viewer), status: r.status, reason: r.moderationReason }]));
  }

  /**
   * Contributions named by events, as `viewer` may see them now (absent: not at all). Events carry ids only;
   * the real-time gateway and the catch-up call this once per audience, so a hide or an edit made after the
   * event was written is what every stream shows.
   */
  async forDelivery(
    consultationId: string,
    ids: string[],
    viewers: Viewer[],
  ): Promise<Map<string, ContributionResponse>[]> {
    // The rows and what they share (endorsement counts, places) are read once for every audience.
    const rows = await this.repo.findMany(consultationId, [...new Set(ids)]);
    const shared = await this.mapInputs(rows);
    return Promise.all(
      viewers.map(async (viewer) => {
        const seen = rows.filter((c) => sight(c, viewer) !== 'none');
        const mine = viewer.userId
          ? await this.repo.endorsedBy(
              viewer.userId,
              seen.filter((c) => c.endorsementCount > 0).map((c) => c.id),
            )
          : undefined;
        return new Map(seen.map((c) => [c.id, mapContribution(c, { viewer, ...shared, endorsedByMe: mine })]));
      }),
    );
  }

  /** What mapping a list needs besides its rows, in a few batched queries whatever its length. */
  private async mapInputs(rows: ContributionEntity[]) {
    const ids = rows.filter((c) => c.endorsementCount > 0).map((c) => c.id);
    // Only amendments written before diffs were stored need their paragraph's text.
    const legacy = [
      ...new Set(rows.filter((c) => c.kind === 'amendment' && c.paragraphId && !c.diff).map((c) => c.paragraphId!)),
    ];
    const resulting = [...new Set(rows.filter((c) => c.resultingParagraphId).map((c) => c.resultingParagraphId!))];
    const [endorsements, paragraphTexts, places] = await Promise.all([
      this.repo.endorsementsByGroup(ids),
      this.targets.paragraphTexts(legacy),
      this.targets.paragraphPlaces(resulting),
    ]);
    return { endorsements, paragraphTexts, places };
  }

  /** Maps a list with a few batched queries, whatever its length. */
  private async mapAll(
    rows: ContributionEntity[],
    viewer: Viewer,
    revisions?: Awaited<ReturnType<ContributionsRepository['revisions']>>,
  ) {
    const [shared, mine] = await Promise.all([
      this.mapInputs(rows),
      viewer.userId
        ? this.repo.endorsedBy(
            viewer.userId,
            rows.filter((c) => c.endorsementCount > 0).map((c) => c.id),
          )
        : Promise.resolve(undefined),
    ]);
    return rows.map((c) => mapContribution(c, { viewer, ...shared, endorsedByMe: mine, revisions }));
  }
}

function encodeCursor(last: { tx: number; seq: number }, order: 'asc' | 'desc'): string {
  return Buffer.from(`${order}:${last.tx}:${last.seq}`, 'utf8').toString('base64url');
}

function decodeThreadCursor(cursor: string): number {
  const m = /^seq:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw ContributionErrors.badCursor();
  return Number(m[1]);
}

function decodeCursor(cursor: string, order: 'asc' | 'desc'): { tx: number; seq: number } {
  const m = /^(asc|desc):(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m || m[1] !== order) throw ContributionErrors.badCursor();
  return { tx: Number(m[2]), seq: Number(m[3]) };
}
