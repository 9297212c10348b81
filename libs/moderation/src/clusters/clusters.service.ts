import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AuditLog, Principal } from '@plenary/accounts';
import { ConsultationAccess, EventOutbox } from '@plenary/consultations';
import {
  atLeast,
  ContributionRecordsService,
  ContributionsService,
  ContributionText,
  MemberFacts,
  PUBLIC_VIEWER,
  sight,
  Viewer,
} from '@plenary/contributions';
import { APP_CONFIG, AppConfig, Clock, DomainEvents } from '@plenary/core';
import type { Tx } from '@plenary/database';
import type { ClusterEntity } from '../moderation.entity';
import { ModerationErrors } from '../moderation.errors';
import { ModerationRepository } from '../moderation.repository';
import { bestMatch, ClusterIndex, groupMatches, Match, MAX_CANDIDATES } from './cluster-index';
import { clusterText, fingerprint, Fingerprint } from './minhash';

export interface ClusterResponse {
  id: string;
  consultationId: string;
  kind: string;
  status: string;
  /** Members whose text the reader may see (a moderator: all of them). */
  count: number;
  /** A member's text the reader may see: the representative's, else the earliest visible member's; null when none. */
  representative: { id: string; trackingNumber: string; body: string; proposedText: string | null } | null;
  signatories: { byGroup: Record<string, number>; byRegion: Record<string, number>; byCountry: Record<string, number> };
  members: {
    id: string;
    trackingNumber: string;
    status: string;
    authorName: string;
    organisation: string;
    group: string;
    region: string;
    country: string;
    similarity: number;
  }[];
  createdAt: string;
  confirmedAt: string | null;
}

/**
 * Duplicates and form-letter campaigns. Each new contribution is fingerprinted and matched as soon as it is
 * committed (incremental check); `recompute` rebuilds every suggested cluster from all fingerprints (full job).
 * Clusters group, they never delete: members keep their own rows, receipts and status.
 */
@Injectable()
export class ClustersService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClustersService.name);
  private stopListening?: () => void;
  private chain: Promise<unknown> = Promise.resolve();
  /** Incremental checks queued and not yet done, per consultation. */
  private readonly backlog = new Map<string, number>();
  /** Consultations whose full job is queued and has not started. */
  private readonly rebuildQueued = new Set<string>();
  /** Full jobs this process ran by itself because the checks fell behind (for logs and tests). */
  autoRebuilds = 0;

  constructor(
    private readonly repo: ModerationRepository,
    private readonly records: ContributionRecordsService,
    private readonly contributions: ContributionsService,
    private readonly access: ConsultationAccess,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly domain: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * After commit, one at a time per process; a check missed here (a crash) is made up by the full job. Under a burst
   * the checks fall behind (a campaign can arrive several times faster than they run): past CLUSTER_BACKLOG_LIMIT
   * waiting in one consultation, the full job is queued instead, once, and arrivals are left to it until it starts.
   */
  onModuleInit(): void {
    this.stopListening = this.domain.onCommitted((events) => {
      for (const e of events) {
        if ((e.type === 'contribution.published' || e.type === 'contribution.submitted') && e.data.kind !== 'reply')
          this.enqueue(e.consultationId, e.data.id as string);
      }
    });
  }

  private enqueue(consultationId: string, id: string): void {
    if (this.rebuildQueued.has(consultationId)) return; // the queued full job will fingerprint it
    const waiting = this.backlog.get(consultationId) ?? 0;
    if (waiting >= this.config.clusterBacklogLimit) {
      this.rebuildQueued.add(consultationId);
      this.chain = this.chain
        .then(() => {
          this.rebuildQueued.delete(consultationId);
          this.autoRebuilds++;
          this.logger.log(`duplicate checks fell ${waiting} behind in ${consultationId}: running the full job`);
          return this.rebuild(consultationId);
        })
        .catch((err) => this.logger.warn(`full clustering job of ${consultationId}: ${(err as Error).message}`));
      return;
    }
    this.backlog.set(consultationId, waiting + 1);
    this.chain = this.chain
      .then(() => this.check(id))
      .catch((err) => this.logger.warn(`cluster check of ${id}: ${(err as Error).message}`))
      .finally(() => {
        const left = (this.backlog.get(consultationId) ?? 1) - 1;
        if (left > 0) this.backlog.set(consultationId, left);
        else this.backlog.delete(consultationId);
      });
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  /** Resolves when the checks queued so far are done (tests and the full job wait on it). */
  settled(): Promise<unknown> {
    return this.chain;
  }

  /** The incremental check: fingerprint one contribution and put it with the earlier text it duplicates. */
  async check(contributionId: string): Promise<Match | null> {
    const [c] = await this.records.texts([contributionId]);
    if (!c || c.kind === 'reply') return null;
    const fp = fingerprint(clusterText(c));
    return this.repo.transaction(async (tx) => {
      await this.repo.lockConsultationClusters(c.consultationId, tx);
      await this.repo.saveFingerprint({ contributionId: c.id, consultationId: c.consultationId, ...fp }, tx);
      const exact = await this.exactMatch(c.consultationId, fp.exactHash, c.id, tx);
      const candidates = exact.length
        ? []
        : await this.repo.candidates(c.consultationId, fp.buckets, c.id, tx, MAX_CANDIDATES);
      const match = bestMatch(fp, exact, candidates);
      if (match && !(await this.repo.wasSplitOff(c.id, tx))) await this.join(c.consultationId, c.id, match, tx);
      return match;
    });
  }

  /**
   * The earlier text with the same normalised hash to join: one already in a cluster (its cluster is the campaign),
   * else the earliest of them.
   */
  private async exactMatch(consultationId: string, exactHash: string, exclude: string, tx: Tx): Promise<string[]> {
    const same = await this.repo.exactMatches(consultationId, exactHash, exclude, tx, MAX_CANDIDATES);
    const clustered = same.find((m) => m.clustered);
    if (clustered) return [clustered.id];
    return (
      await this.records.inArrivalOrder(
        same.map((m) => m.id),
        tx,
      )
    ).slice(0, 1);
  }

  private async join(consultationId: string, id: string, match: Match, tx: Tx): Promise<void> {
    const existing = await this.repo.activeClusterOf(match.id, tx);
    if (existing) {
      await this.repo.addMembers(existing.id, [{ contributionId: id, similarity: match.similarity }], tx);
      if (!match.exact && existing.kind === 'exact') await this.repo.setCluster(existing.id, { kind: 'near' }, tx);
      return;
    }
    const cluster = await this.repo.createCluster(
      { consultationId, kind: match.exact ? 'exact' : 'near', status: 'suggested', representativeId: match.id },
      tx,
    );
    await this.repo.addMembers(
      cluster.id,
      [
        { contributionId: match.id, similarity: 1 },
        { contributionId: id, similarity: match.similarity },
      ],
      tx,
    );
  }

  /**
   * The full job: fingerprints whatever has none, then rebuilds the suggested clusters from all fingerprints in
   * arrival order. Confirmed clusters and their members stay exactly as moderators left them.
   */
  async recompute(
    consultationId: string,
    p: Principal,
  ): Promise<{ fingerprinted: number; clusters: number; members: number; ms: number }> {
    await this.access.requireModerator(consultationId, p);
    return this.rebuild(consultationId, p);
  }

  async rebuild(
    consultationId: string,
    p?: Principal,
  ): Promise<{ fingerprinted: number; clusters: number; members: number; ms: number }> {
    const started = performance.now();
    // Arrival order comes from the contributions lib, fingerprints from our own table: two reads, no per-row query.
    const [order, have] = await Promise.all([
      this.records.clusterableIds(consultationId),
      this.repo.fingerprintedIds(consultationId),
    ]);
    const missing = order.filter((id) => !have.has(id));
    let fingerprinted = 0;
    for (let i = 0; i < missing.length; i += 2000) {
      const batch = (await this.records.texts(missing.slice(i, i + 2000))).filter((c) => c.kind !== 'reply');
      await this.repo.transaction((tx) =>
        this.repo.saveFingerprints(
          batch.map((c) => ({ contributionId: c.id, consultationId, ...fingerprint(clusterText(c)) })),
          tx,
        ),
      );
      fingerprinted += batch.length;
    }
    if (fingerprinted > 1000) await this.repo.analyseFingerprints();
    const [prints, confirmed] = await Promise.all([
      this.repo.allFingerprints(consultationId),
      this.repo.confirmedMembers(consultationId),
    ]);
    const all = order.flatMap((id) => {
      const f = prints.get(id);
      return f ? [{ id, ...f }] : [];
    });
    const index = new ClusterIndex();
    const matches = all
      .filter((f) => !confirmed.has(f.id))
      .map((f) => ({ id: f.id, match: index.add(f.id, f as Fingerprint) }));
    const groups = groupMatches(matches);
    let members = 0;
    await this.repo.transaction(async (tx) => {
      await this.repo.lockConsultationClusters(consultationId, tx);
      const now = this.clock.now();
      for (const id of await this.repo.suggestedClusterIds(consultationId, tx)) {
        await this.repo.removeMembers(id, 'all', now, tx);
        await this.repo.setCluster(id, { status: 'dissolved' }, tx);
      }
      for (const [representativeId, g] of groups) {
        const cluster = await this.repo.createCluster(
          { consultationId, kind: g.exact ? 'exact' : 'near', status: 'suggested', representativeId },
          tx,
        );
        await this.repo.addMembers(
          cluster.id,
          g.members.map((m) => ({ contributionId: m.id, similarity: m.similarity })),
          tx,
        );
        members += g.members.length;
      }
      if (p) {
        await this.audit.record(tx, [
          {
            consultationId,
            actor: p,
            action: 'clusters.recomputed',
            subjectType: 'consultation',
            subjectId: consultationId,
            after: { clusters: groups.size, members },
          },
        ]);
      }
    });
    return { fingerprinted, clusters: groups.size, members, ms: Math.round(performance.now() - started) };
  }

  /** Moderators and chairs of the consultation: clusters as they may see them (under the visibility policy). */
  async list(consultationId: string, p: Principal, status?: string): Promise<ClusterResponse[]> {
    await this.access.requireModerator(consultationId, p);
    const clusters = await this.repo.listClusters(consultationId, status ? [status] : ['suggested', 'confirmed']);
    return this.describe(clusters, await this.contributions.viewer(consultationId, p));
  }

  async get(clusterId: string, p: Principal): Promise<ClusterResponse> {
    const cluster = await this.repo.findCluster(clusterId);
    if (!cluster) throw ModerationErrors.clusterNotFound(clusterId);
    await this.access.requireModerator(cluster.consultationId, p);
    return (await this.describe([cluster], await this.contributions.viewer(cluster.consultationId, p)))[0];
  }

  /** A moderator agrees these are one campaign: shown as one counted entry from now on. */
  async confirm(clusterId: string, p: Principal): Promise<ClusterResponse> {
    await this.changeCluster(clusterId, p, async (cluster, tx) => {
      if (cluster.status !== 'suggested') throw ModerationErrors.clusterClosed(cluster.status);
      const now = this.clock.now();
      await this.repo.setCluster(cluster.id, { status: 'confirmed', confirmedAt: now, confirmedBy: p.id }, tx);
      const members = await this.records.memberFacts(await this.repo.activeMemberIds(cluster.id, tx), tx);
      await this.audit.record(tx, [
        {
          consultationId: cluster.consultationId,
          actor: p,
          action: 'cluster.confirmed',
          subjectType: 'cluster',
          subjectId: cluster.id,
          before: { status: cluster.status },
          after: { status: 'confirmed', members: members.length },
        },
      ]);
      // The event is public and replayed to anyone later: it counts the members the public may read, and names a
      // representative the public may read (none when there is none yet).
      const visible = members.filter((m) => atLeast(sight(m, PUBLIC_VIEWER), 'text'));
      const representativeId = visible.some((m) => m.id === cluster.representativeId)
        ? cluster.representativeId
        : (visible[0]?.id ?? null);
      return this.outbox.append(tx, cluster.consultationId, [
        {
          type: 'cluster.confirmed',
          audience: 'public',
          data: { id: cluster.id, kind: cluster.kind, status: 'confirmed', representativeId, count: visible.length },
        },
      ]);
    });
    return this.get(clusterId, p);
  }

  /** Takes members out (they are not put back automatically); fewer than two left dissolves the cluster. */
  async split(clusterId: string, p: Principal, contributionIds: string[]): Promise<ClusterResponse> {
    await this.changeCluster(clusterId, p, async (cluster, tx) => {
      if (cluster.status === 'dissolved') throw ModerationErrors.clusterClosed(cluster.status);
      const active = new Set(await this.repo.activeMemberIds(cluster.id, tx));
      const strangers = contributionIds.filter((id) => !active.has(id));
      if (strangers.length) throw ModerationErrors.notMembers(strangers);
      const now = this.clock.now();
      await this.repo.removeMembers(cluster.id, contributionIds, now, tx);
      const left = [...active].filter((id) => !contributionIds.includes(id));
      if (left.length < 2) {
        await this.repo.removeMembers(cluster.id, 'all', now, tx);
        await this.repo.setCluster(cluster.id, { status: 'dissolved' }, tx);
      } else if (!left.includes(cluster.representativeId)) {
        const [earliest] = await this.records.inArrivalOrder(left, tx);
        await this.repo.setCluster(cluster.id, { representativeId: earliest }, tx);
      }
      await this.audit.record(tx, [
        {
          consultationId: cluster.consultationId,
          actor: p,
          action: 'cluster.split',
          subjectType: 'cluster',
          subjectId: cluster.id,
          before: { members: active.size },
          after: { removed: contributionIds, members: left.length < 2 ? 0 : left.length },
        },
      ]);
      return [];
    });
    return this.get(clusterId, p);
  }

  private async changeCluster(
    clusterId: string,
    p: Principal,
    work: (cluster: ClusterEntity, tx: Tx) => Promise<Awaited<ReturnType<EventOutbox['append']>>>,
  ) {
    const found = await this.repo.findCluster(clusterId);
    if (!found) throw ModerationErrors.clusterNotFound(clusterId);
    await this.access.requireModerator(found.consultationId, p);
    const events = await this.repo.transaction(async (tx) => {
      await this.repo.lockConsultationClusters(found.consultationId, tx);
      return work((await this.repo.lockCluster(clusterId, tx))!, tx);
    });
    this.outbox.announce(events);
  }

  /**
   * Clusters as `viewer` may see them: counted, signed and listed by the members whose text they may read; the
   * representative text is one of those (the representative's own if visible, else the earliest visible member's).
   */
  private async describe(clusters: ClusterEntity[], viewer: Viewer): Promise<ClusterResponse[]> {
    const memberships = await this.repo.memberships(clusters.map((c) => c.id));
    const facts = await this.records.memberFacts([...new Set(memberships.map((m) => m.contributionId))]);
    const visible = facts.filter((f) => atLeast(sight(f, viewer), 'text'));
    const byCluster = new Map<string, { similarity: number; facts: MemberFacts }[]>();
    const factsById = new Map(visible.map((f) => [f.id, f]));
    const similarity = new Map(memberships.map((m) => [m.contributionId, m]));
    for (const f of visible) {
      const m = similarity.get(f.id)!;
      const list = byCluster.get(m.clusterId);
      if (list) list.push({ similarity: m.similarity, facts: f });
      else byCluster.set(m.clusterId, [{ similarity: m.similarity, facts: f }]);
    }
    const shown = new Map(
      clusters.map((k) => [
        k.id,
        factsById.has(k.representativeId) ? k.representativeId : (byCluster.get(k.id)?.[0]?.facts.id ?? null),
      ]),
    );
    const texts = new Map<string, ContributionText>(
      (await this.records.texts([...shown.values()].filter((id): id is string => id !== null))).map((t) => [t.id, t]),
    );
    return clusters.map((k) => {
      const mine = byCluster.get(k.id) ?? [];
      const count = (field: 'group' | 'region' | 'country') =>
        mine.reduce<Record<string, number>>(
          (acc, { facts: m }) => ((acc[m[field]] = (acc[m[field]] ?? 0) + 1), acc),
          {},
        );
      const rep = texts.get(shown.get(k.id) ?? '');
      return {
        id: k.id,
        consultationId: k.consultationId,
        kind: k.kind,
        status: k.status,
        count: mine.length,
        representative: rep
          ? { id: rep.id, trackingNumber: rep.trackingNumber, body: rep.body, proposedText: rep.proposedText }
          : null,
        signatories: { byGroup: count('group'), byRegion: count('region'), byCountry: count('country') },
        members: mine.map(({ similarity: s, facts: m }) => ({
          id: m.id,
          trackingNumber: m.trackingNumber,
          status: m.status,
          authorName: m.authorName,
          organisation: m.organisation,
          group: m.group,
          region: m.region,
          country: m.country,
          similarity: s,
        })),
        createdAt: k.createdAt.toISOString(),
        confirmedAt: k.confirmedAt?.toISOString() ?? null,
      };
    });
  }
}
