import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { Tx } from '@plenary/database';
import {
  ClusterEntity,
  ClusterMemberEntity,
  DispositionEntity,
  FingerprintEntity,
  FlagEntity,
  ModerationDecisionEntity,
} from './moderation.entity';

/** Rows changed by an UPDATE ... RETURNING, whichever shape the driver gives. */
function returned<T>(res: unknown): T[] {
  const list = res as unknown[];
  return (Array.isArray(list[0]) ? list[0] : list) as T[];
}

/**
 * All SQL of moderation over its own tables: decisions, flags, fingerprints, clusters and their members, dispositions.
 * Contributions (status, review, disposition, texts) are read and changed through the contributions lib, paragraphs
 * through the documents lib's ParagraphLookup.
 */
@Injectable()
export class ModerationRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  async insertDecisions(rows: Omit<ModerationDecisionEntity, 'id' | 'at'>[], tx: Tx): Promise<void> {
    if (rows.length) await tx.save(rows.map((r) => tx.create(ModerationDecisionEntity, r)));
  }

  /** Closes the open flags of these contributions with an outcome; returns how many each had. */
  async resolveFlags(
    contributionIds: string[],
    outcome: 'upheld' | 'dismissed',
    at: Date,
    tx: Tx,
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (!contributionIds.length) return counts;
    const res = await tx.query(
      `UPDATE flags SET outcome = $2, resolved_at = $3 WHERE contribution_id = ANY($1::uuid[]) AND outcome IS NULL RETURNING contribution_id`,
      [contributionIds, outcome, at],
    );
    for (const r of returned<{ contribution_id: string }>(res))
      counts.set(r.contribution_id, (counts.get(r.contribution_id) ?? 0) + 1);
    return counts;
  }

  /** False when this user already flagged it (the unique index decides). */
  async insertFlag(
    row: Pick<FlagEntity, 'contributionId' | 'consultationId' | 'userId' | 'reason' | 'note'>,
    tx: Tx,
  ): Promise<boolean> {
    const res = await tx
      .createQueryBuilder()
      .insert()
      .into(FlagEntity)
      .values(row)
      .orIgnore()
      .returning(['id'])
      .execute();
    return res.raw.length > 0;
  }

  async countOpenFlags(contributionId: string, tx: Tx): Promise<number> {
    const [r] = await tx.query(`SELECT count(*)::int AS n FROM flags WHERE contribution_id = $1 AND outcome IS NULL`, [
      contributionId,
    ]);
    return r.n;
  }

  async openFlagSummaries(ids: string[]): Promise<Map<string, Record<string, number>>> {
    const map = new Map<string, Record<string, number>>();
    if (!ids.length) return map;
    const rows: { contribution_id: string; reason: string; n: number }[] = await this.ds.query(
      `SELECT contribution_id, reason, count(*)::int AS n FROM flags WHERE contribution_id = ANY($1::uuid[]) AND outcome IS NULL GROUP BY 1, 2`,
      [ids],
    );
    for (const r of rows) map.set(r.contribution_id, { ...(map.get(r.contribution_id) ?? {}), [r.reason]: r.n });
    return map;
  }

  async insertDispositions(rows: Omit<DispositionEntity, 'id' | 'at'>[], tx: Tx): Promise<void> {
    for (let i = 0; i < rows.length; i += 5000) {
      await tx
        .createQueryBuilder()
        .insert()
        .into(DispositionEntity)
        .values(rows.slice(i, i + 5000))
        .execute();
    }
  }

  // ---- fingerprints and clusters ----

  async saveFingerprint(row: FingerprintEntity, tx: Tx): Promise<void> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(FingerprintEntity)
      .values(row)
      .orUpdate(['exact_hash', 'signature', 'buckets'], ['contribution_id'])
      .execute();
  }

  /** Many at once (the full job): one multi-row insert per 500. */
  async saveFingerprints(rows: FingerprintEntity[], tx: Tx): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .createQueryBuilder()
        .insert()
        .into(FingerprintEntity)
        .values(rows.slice(i, i + 500))
        .orIgnore()
        .execute();
    }
  }

  /**
   * Up to `limit` earlier texts with the same normalised hash, each saying whether it is an active member of a
   * cluster. One in a cluster is enough to join it, so an exact campaign of any size costs `limit` rows at most.
   */
  async exactMatches(
    consultationId: string,
    exactHash: string,
    exclude: string,
    tx: Tx,
    limit: number,
  ): Promise<{ id: string; clustered: boolean }[]> {
    const rows: { contribution_id: string; clustered: boolean }[] = await tx.query(
      `SELECT f.contribution_id,
              EXISTS (SELECT 1 FROM cluster_members m JOIN clusters k ON k.id = m.cluster_id
                       WHERE m.contribution_id = f.contribution_id AND m.removed_at IS NULL AND k.status <> 'dissolved') AS clustered
         FROM fingerprints f
        WHERE f.consultation_id = $1 AND f.exact_hash = $2 AND f.contribution_id <> $3 LIMIT $4`,
      [consultationId, exactHash, exclude, limit],
    );
    return rows.map((r) => ({ id: r.contribution_id, clustered: r.clustered }));
  }

  /**
   * Up to `limit` texts sharing at least one LSH bucket (GIN index on buckets). Inside a campaign almost every
   * candidate is a copy, so a few suffice; stopping early keeps the check's cost flat as a campaign grows.
   */
  async candidates(
    consultationId: string,
    buckets: number[],
    exclude: string,
    tx: Tx,
    limit: number,
  ): Promise<{ id: string; signature: number[] }[]> {
    // PostgreSQL cannot estimate how selective `&&` on random bucket values is and would rather read every row;
    // within this transaction only, it must use the index.
    await tx.query('SET LOCAL enable_seqscan = off');
    const rows: { contribution_id: string; signature: number[] }[] = await tx.query(
      // The bucket index first (MATERIALIZED keeps the planner from starting from the consultation's rows instead).
      `WITH hits AS MATERIALIZED (SELECT contribution_id, consultation_id, signature FROM fingerprints WHERE buckets && $1::int[])
       SELECT contribution_id, signature FROM hits WHERE consultation_id = $2 AND contribution_id <> $3 LIMIT $4`,
      [buckets, consultationId, exclude, limit],
    );
    return rows.map((r) => ({ id: r.contribution_id, signature: r.signature }));
  }

  /** Contributions of a consultation that have a fingerprint. */
  async fingerprintedIds(consultationId: string): Promise<Set<string>> {
    const rows: { contribution_id: string }[] = await this.ds.query(
      `SELECT contribution_id FROM fingerprints WHERE consultation_id = $1`,
      [consultationId],
    );
    return new Set(rows.map((r) => r.contribution_id));
  }

  /** Every fingerprint of a consultation, by contribution (the full job puts them in arrival order). */
  async allFingerprints(
    consultationId: string,
  ): Promise<Map<string, { exactHash: string; signature: number[]; buckets: number[] }>> {
    const rows: { contribution_id: string; exact_hash: string; signature: number[]; buckets: number[] }[] =
      await this.ds.query(
        `SELECT contribution_id, exact_hash, signature, buckets FROM fingerprints WHERE consultation_id = $1`,
        [consultationId],
      );
    return new Map(
      rows.map((r) => [r.contribution_id, { exactHash: r.exact_hash, signature: r.signature, buckets: r.buckets }]),
    );
  }

  async activeClusterOf(contributionId: string, tx: Tx): Promise<ClusterEntity | null> {
    const rows = await tx.query(
      `SELECT k.id FROM cluster_members m JOIN clusters k ON k.id = m.cluster_id
        WHERE m.contribution_id = $1 AND m.removed_at IS NULL AND k.status <> 'dissolved'`,
      [contributionId],
    );
    return rows.length ? tx.findOne(ClusterEntity, { where: { id: rows[0].id } }) : null;
  }

  /** Was this contribution ever split off a cluster by a moderator? Then it is not put back automatically. */
  async wasSplitOff(contributionId: string, tx: Tx): Promise<boolean> {
    const rows = await tx.query(
      `SELECT 1 FROM cluster_members m JOIN clusters k ON k.id = m.cluster_id WHERE m.contribution_id = $1 AND m.removed_at IS NOT NULL AND k.status <> 'dissolved' LIMIT 1`,
      [contributionId],
    );
    return rows.length > 0;
  }

  createCluster(
    row: Pick<ClusterEntity, 'consultationId' | 'kind' | 'status' | 'representativeId'>,
    tx: Tx,
  ): Promise<ClusterEntity> {
    return tx.save(tx.create(ClusterEntity, { ...row, confirmedAt: null, confirmedBy: null }));
  }

  /** In statements of a few thousand rows: a campaign's cluster can have a hundred thousand members, more than one statement may carry. */
  async addMembers(
    clusterId: string,
    members: { contributionId: string; similarity: number }[],
    tx: Tx,
  ): Promise<void> {
    for (let i = 0; i < members.length; i += 5000) {
      await tx
        .createQueryBuilder()
        .insert()
        .into(ClusterMemberEntity)
        .values(
          members
            .slice(i, i + 5000)
            .map((m) => ({ clusterId, contributionId: m.contributionId, similarity: m.similarity, removedAt: null })),
        )
        .orIgnore()
        .execute();
    }
  }

  async setCluster(
    id: string,
    patch: Partial<Pick<ClusterEntity, 'status' | 'kind' | 'confirmedAt' | 'confirmedBy' | 'representativeId'>>,
    tx: Tx,
  ): Promise<void> {
    await tx.update(ClusterEntity, { id }, patch);
  }

  lockCluster(id: string, tx: Tx): Promise<ClusterEntity | null> {
    return tx.findOne(ClusterEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async removeMembers(clusterId: string, contributionIds: string[] | 'all', at: Date, tx: Tx): Promise<string[]> {
    const res = await tx.query(
      `UPDATE cluster_members SET removed_at = $2 WHERE cluster_id = $1 AND removed_at IS NULL ${contributionIds === 'all' ? '' : 'AND contribution_id = ANY($3::uuid[])'}
       RETURNING contribution_id`,
      contributionIds === 'all' ? [clusterId, at] : [clusterId, at, contributionIds],
    );
    return returned<{ contribution_id: string }>(res).map((r) => r.contribution_id);
  }

  /** The active members of a cluster (in no particular order: the contributions lib knows the order of arrival). */
  async activeMemberIds(clusterId: string, tx: Tx = this.ds.manager): Promise<string[]> {
    const rows: { contribution_id: string }[] = await tx.query(
      `SELECT contribution_id FROM cluster_members WHERE cluster_id = $1 AND removed_at IS NULL`,
      [clusterId],
    );
    return rows.map((r) => r.contribution_id);
  }

  listClusters(consultationId: string, statuses: string[]): Promise<ClusterEntity[]> {
    return this.ds.manager.find(ClusterEntity, {
      where: { consultationId, status: In(statuses) },
      order: { createdAt: 'ASC' },
    });
  }

  findCluster(id: string): Promise<ClusterEntity | null> {
    return this.ds.manager.findOne(ClusterEntity, { where: { id } });
  }

  /** Active memberships of these clusters, with each member's similarity. */
  async memberships(
    clusterIds: string[],
  ): Promise<{ clusterId: string; contributionId: string; similarity: number }[]> {
    if (!clusterIds.length) return [];
    const rows: { cluster_id: string; contribution_id: string; similarity: number | string }[] = await this.ds.query(
      `SELECT cluster_id, contribution_id, similarity FROM cluster_members WHERE cluster_id = ANY($1::uuid[]) AND removed_at IS NULL`,
      [clusterIds],
    );
    return rows.map((r) => ({
      clusterId: r.cluster_id,
      contributionId: r.contribution_id,
      similarity: Number(r.similarity),
    }));
  }

  /** Contributions in confirmed clusters: the full job leaves them where a moderator put them. */
  async confirmedMembers(consultationId: string): Promise<Set<string>> {
    const rows: { contribution_id: string }[] = await this.ds.query(
      `SELECT m.contribution_id FROM cluster_members m JOIN clusters k ON k.id = m.cluster_id
        WHERE k.consultation_id = $1 AND k.status = 'confirmed' AND m.removed_at IS NULL`,
      [consultationId],
    );
    return new Set(rows.map((r) => r.contribution_id));
  }

  async suggestedClusterIds(consultationId: string, tx: Tx): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(
      `SELECT id FROM clusters WHERE consultation_id = $1 AND status = 'suggested' FOR UPDATE`,
      [consultationId],
    );
    return rows.map((r) => r.id);
  }

  /** Fresh statistics after the full job wrote many fingerprints. */
  async analyseFingerprints(): Promise<void> {
    await this.ds.query('ANALYZE fingerprints');
  }

  async lockConsultationClusters(consultationId: string, tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`clusters:${consultationId}`]);
  }
}
