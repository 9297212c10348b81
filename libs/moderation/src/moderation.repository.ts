import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { ContributionEntity } from '@plenary/contributions';
import type { Tx } from '@plenary/database';
import { ClusterEntity, ClusterMemberEntity, DispositionEntity, FingerprintEntity, FlagEntity, ModerationDecisionEntity } from './moderation.entity';

export interface QueueFilter {
  consultationId: string;
  documentId?: string;
  lineageKey?: string;
  group?: string;
  region?: string;
  flagged?: 'true' | 'false' | 'urgent';
  afterSeq?: number;
  limit: number;
}

export type ContributionPatch = Partial<
  Pick<
    ContributionEntity,
    'status' | 'moderationReason' | 'moderationNote' | 'moderatedAt' | 'review' | 'flagCount' | 'disposition' | 'dispositionResponse' | 'disposedAt' | 'resultingParagraphId'
  >
>;

/** All SQL of moderation: decisions, flags, the queue, fingerprints, clusters, dispositions and the matrix. */
@Injectable()
export class ModerationRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  lockContributions(ids: string[], tx: Tx): Promise<ContributionEntity[]> {
    return tx.find(ContributionEntity, { where: { id: In(ids) }, order: { seq: 'ASC' }, lock: { mode: 'pessimistic_write' } });
  }

  findContribution(id: string, tx: Tx = this.ds.manager): Promise<ContributionEntity | null> {
    return tx.findOne(ContributionEntity, { where: { id } });
  }

  async patchContributions(ids: string[], patch: ContributionPatch, tx: Tx): Promise<void> {
    if (ids.length) await tx.update(ContributionEntity, { id: In(ids) }, patch);
  }

  async insertDecisions(rows: Omit<ModerationDecisionEntity, 'id' | 'at'>[], tx: Tx): Promise<void> {
    if (rows.length) await tx.save(rows.map((r) => tx.create(ModerationDecisionEntity, r)));
  }

  /** Closes the open flags of a contribution with an outcome; returns how many there were. */
  async resolveFlags(contributionId: string, outcome: 'upheld' | 'dismissed', at: Date, tx: Tx): Promise<number> {
    const res = await tx.query(
      `UPDATE flags SET outcome = $2, resolved_at = $3 WHERE contribution_id = $1 AND outcome IS NULL RETURNING id`,
      [contributionId, outcome, at],
    );
    return (Array.isArray(res[0]) ? res[0] : res).length;
  }

  /** False when this user already flagged it (the unique index decides). */
  async insertFlag(row: Pick<FlagEntity, 'contributionId' | 'consultationId' | 'userId' | 'reason' | 'note'>, tx: Tx): Promise<boolean> {
    const res = await tx.createQueryBuilder().insert().into(FlagEntity).values(row).orIgnore().returning(['id']).execute();
    return res.raw.length > 0;
  }

  async countOpenFlags(contributionId: string, tx: Tx): Promise<number> {
    const [r] = await tx.query(`SELECT count(*)::int AS n FROM flags WHERE contribution_id = $1 AND outcome IS NULL`, [contributionId]);
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

  /** Pending contributions and published ones back in review, oldest first. */
  queue(f: QueueFilter): Promise<ContributionEntity[]> {
    const qb = this.ds.manager
      .createQueryBuilder(ContributionEntity, 'c')
      .where('c.consultation_id = :cid', { cid: f.consultationId })
      .andWhere(
        f.flagged === 'false'
          ? `c.status = 'pending'`
          : f.flagged === 'true'
            ? `c.review IS NOT NULL AND c.status IN ('published', 'pending')`
            : f.flagged === 'urgent'
              ? `c.review = 'urgent' AND c.status IN ('published', 'pending')`
              : `(c.status = 'pending' OR (c.status = 'published' AND c.review IS NOT NULL))`,
      );
    if (f.documentId) qb.andWhere('c.document_id = :doc', { doc: f.documentId });
    if (f.lineageKey) qb.andWhere('c.lineage_key = :lk', { lk: f.lineageKey });
    if (f.group) qb.andWhere('c.author_group = :g', { g: f.group });
    if (f.region) qb.andWhere('c.author_region = :r', { r: f.region });
    if (f.afterSeq !== undefined) qb.andWhere('c.seq > :after', { after: f.afterSeq });
    return qb.orderBy('c.seq', 'ASC').limit(f.limit).getMany();
  }

  async queueCounts(consultationId: string): Promise<{ pending: number; flagged: number; urgent: number }> {
    const [r] = await this.ds.query(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE review IS NOT NULL AND status IN ('published', 'pending'))::int AS flagged,
              count(*) FILTER (WHERE review = 'urgent' AND status IN ('published', 'pending'))::int AS urgent
         FROM contributions WHERE consultation_id = $1 AND (status = 'pending' OR review IS NOT NULL)`,
      [consultationId],
    );
    return r;
  }

  async paragraphLineage(paragraphId: string): Promise<{ documentId: string; lineageKey: string; consultationId: string } | null> {
    const rows = await this.ds.query(
      `SELECT d.id AS document_id, p.lineage_key, d.consultation_id FROM paragraphs p JOIN document_versions v ON v.id = p.version_id
         JOIN documents d ON d.id = v.document_id WHERE p.id = $1`,
      [paragraphId],
    );
    return rows.length ? { documentId: rows[0].document_id, lineageKey: rows[0].lineage_key, consultationId: rows[0].consultation_id } : null;
  }

  /** A paragraph of a later version of `documentId` than `afterVersion`: where an accepted contribution may have gone. */
  async laterParagraph(paragraphId: string, documentId: string, afterVersion: number, tx: Tx): Promise<boolean> {
    const rows = await tx.query(
      `SELECT 1 FROM paragraphs p JOIN document_versions v ON v.id = p.version_id WHERE p.id = $1 AND v.document_id = $2 AND v.number > $3`,
      [paragraphId, documentId, afterVersion],
    );
    return rows.length > 0;
  }

  /** The paragraph with this lineage in the document's current version, when that is later than `afterVersion`. */
  async descendantInCurrent(documentId: string, lineageKey: string, afterVersion: number, tx: Tx): Promise<string | null> {
    const rows = await tx.query(
      `SELECT p.id FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.number = d.current_version
         JOIN paragraphs p ON p.version_id = v.id WHERE d.id = $1 AND p.lineage_key = $2 AND v.number > $3 LIMIT 1`,
      [documentId, lineageKey, afterVersion],
    );
    return rows.length ? rows[0].id : null;
  }

  /**
   * After a revision: accepted contributions of that document not yet linked to where they went get the paragraph of
   * the new version with their lineage. Returns the contributions linked.
   */
  async linkAccepted(documentId: string, versionId: string, tx: Tx): Promise<{ id: string; paragraphId: string; consultationId: string }[]> {
    const res = await tx.query(
      `UPDATE contributions c SET resulting_paragraph_id = p.id
         FROM paragraphs p
        WHERE c.document_id = $1 AND p.version_id = $2 AND p.lineage_key = c.lineage_key
          AND c.disposition IN ('accepted', 'accepted_in_part') AND c.resulting_paragraph_id IS NULL
        RETURNING c.id, p.id AS paragraph_id, c.consultation_id`,
      [documentId, versionId],
    );
    return (Array.isArray(res[0]) ? res[0] : res).map((r: { id: string; paragraph_id: string; consultation_id: string }) => ({
      id: r.id,
      paragraphId: r.paragraph_id,
      consultationId: r.consultation_id,
    }));
  }

  async insertDispositions(rows: Omit<DispositionEntity, 'id' | 'at'>[], tx: Tx): Promise<void> {
    if (rows.length) await tx.save(rows.map((r) => tx.create(DispositionEntity, r)));
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
      await tx.createQueryBuilder().insert().into(FingerprintEntity).values(rows.slice(i, i + 500)).orIgnore().execute();
    }
  }

  async exactMatches(consultationId: string, exactHash: string, exclude: string, tx: Tx): Promise<string[]> {
    const rows: { contribution_id: string }[] = await tx.query(
      `SELECT f.contribution_id FROM fingerprints f JOIN contributions c ON c.id = f.contribution_id
        WHERE f.consultation_id = $1 AND f.exact_hash = $2 AND f.contribution_id <> $3 ORDER BY c.seq LIMIT 1`,
      [consultationId, exactHash, exclude],
    );
    return rows.map((r) => r.contribution_id);
  }

  /**
   * Up to `limit` texts sharing at least one LSH bucket (GIN index on buckets). Inside a campaign almost every
   * candidate is a copy, so a few suffice; stopping early keeps the check's cost flat as a campaign grows.
   */
  async candidates(consultationId: string, buckets: number[], exclude: string, tx: Tx, limit: number): Promise<{ id: string; signature: number[] }[]> {
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

  createCluster(row: Pick<ClusterEntity, 'consultationId' | 'kind' | 'status' | 'representativeId'>, tx: Tx): Promise<ClusterEntity> {
    return tx.save(tx.create(ClusterEntity, { ...row, confirmedAt: null, confirmedBy: null }));
  }

  /** In statements of a few thousand rows: a campaign's cluster can have a hundred thousand members, more than one statement may carry. */
  async addMembers(clusterId: string, members: { contributionId: string; similarity: number }[], tx: Tx): Promise<void> {
    for (let i = 0; i < members.length; i += 5000) {
      await tx
        .createQueryBuilder()
        .insert()
        .into(ClusterMemberEntity)
        .values(members.slice(i, i + 5000).map((m) => ({ clusterId, contributionId: m.contributionId, similarity: m.similarity, removedAt: null })))
        .orIgnore()
        .execute();
    }
  }

  async setCluster(id: string, patch: Partial<Pick<ClusterEntity, 'status' | 'kind' | 'confirmedAt' | 'confirmedBy' | 'representativeId'>>, tx: Tx): Promise<void> {
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
    return (Array.isArray(res[0]) ? res[0] : res).map((r: { contribution_id: string }) => r.contribution_id);
  }

  async activeMemberIds(clusterId: string, tx: Tx = this.ds.manager): Promise<string[]> {
    const rows: { contribution_id: string }[] = await tx.query(
      `SELECT m.contribution_id FROM cluster_members m JOIN contributions c ON c.id = m.contribution_id
        WHERE m.cluster_id = $1 AND m.removed_at IS NULL ORDER BY c.seq`,
      [clusterId],
    );
    return rows.map((r) => r.contribution_id);
  }

  listClusters(consultationId: string, statuses: string[]): Promise<ClusterEntity[]> {
    return this.ds.manager.find(ClusterEntity, { where: { consultationId, status: In(statuses) }, order: { createdAt: 'ASC' } });
  }

  findCluster(id: string): Promise<ClusterEntity | null> {
    return this.ds.manager.findOne(ClusterEntity, { where: { id } });
  }

  /** Members with what a cluster view shows: the author snapshot and similarity. */
  async members(clusterIds: string[]): Promise<
    { clusterId: string; id: string; trackingNumber: string; status: string; authorName: string; group: string; region: string; country: string; organisation: string; similarity: number; submittedAt: Date }[]
  > {
    if (!clusterIds.length) return [];
    const rows = await this.ds.query(
      `SELECT m.cluster_id, c.id, c.tracking_number, c.status, c.author_name, c.author_group, c.author_region, c.author_country,
              c.author_organisation, m.similarity, c.submitted_at
         FROM cluster_members m JOIN contributions c ON c.id = m.contribution_id
        WHERE m.cluster_id = ANY($1::uuid[]) AND m.removed_at IS NULL ORDER BY c.seq`,
      [clusterIds],
    );
    return rows.map((r: Record<string, unknown>) => ({
      clusterId: r.cluster_id as string,
      id: r.id as string,
      trackingNumber: r.tracking_number as string,
      status: r.status as string,
      authorName: r.author_name as string,
      group: r.author_group as string,
      region: r.author_region as string,
      country: r.author_country as string,
      organisation: r.author_organisation as string,
      similarity: Number(r.similarity),
      submittedAt: new Date(r.submitted_at as string),
    }));
  }

  /** Every fingerprinted contribution of a consultation, in arrival order (for the full job). */
  async allFingerprints(consultationId: string): Promise<{ id: string; exactHash: string; signature: number[]; buckets: number[] }[]> {
    const rows = await this.ds.query(
      `SELECT f.contribution_id, f.exact_hash, f.signature, f.buckets FROM fingerprints f JOIN contributions c ON c.id = f.contribution_id
        WHERE f.consultation_id = $1 AND c.status <> 'withdrawn' ORDER BY c.seq`,
      [consultationId],
    );
    return rows.map((r: { contribution_id: string; exact_hash: string; signature: number[]; buckets: number[] }) => ({
      id: r.contribution_id,
      exactHash: r.exact_hash,
      signature: r.signature,
      buckets: r.buckets,
    }));
  }

  /** Contributions that have no fingerprint yet (arrived while no process was listening, say). */
  async unfingerprinted(consultationId: string, limit: number): Promise<{ id: string; body: string; proposedText: string | null }[]> {
    const rows = await this.ds.query(
      `SELECT c.id, c.body, c.proposed_text FROM contributions c LEFT JOIN fingerprints f ON f.contribution_id = c.id
        WHERE c.consultation_id = $1 AND f.contribution_id IS NULL AND c.kind <> 'reply' AND c.status <> 'withdrawn'
        ORDER BY c.seq LIMIT $2`,
      [consultationId, limit],
    );
    return rows.map((r: { id: string; body: string; proposed_text: string | null }) => ({ id: r.id, body: r.body, proposedText: r.proposed_text }));
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
    const rows: { id: string }[] = await tx.query(`SELECT id FROM clusters WHERE consultation_id = $1 AND status = 'suggested' FOR UPDATE`, [consultationId]);
    return rows.map((r) => r.id);
  }

  /** Fresh statistics after the full job wrote many fingerprints. */
  async analyseFingerprints(): Promise<void> {
    await this.ds.query('ANALYZE fingerprints');
  }

  async lockConsultationClusters(consultationId: string, tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`clusters:${consultationId}`]);
  }

  // ---- the resolution matrix ----

  /** The matrix rows, in arrival order; `published` limits it to what the public may read. */
  matrixRows(consultationId: string, documentId: string | undefined, publishedOnly: boolean, limit?: number): Promise<Record<string, unknown>[]> {
    return this.ds.query(
      `SELECT c.id, c.document_id, c.resulting_paragraph_id, c.tracking_number, c.author_name, coalesce(c.on_behalf_of, c.author_organisation) AS organisation, c.author_group,
              c.author_country, c.author_region, c.paragraph_label, c.version_number, c.kind, c.body, c.proposed_text, c.status,
              c.disposition, c.disposition_response, rp.label AS resulting_label, rv.number AS resulting_version, c.submitted_at
         FROM contributions c
         LEFT JOIN paragraphs rp ON rp.id = c.resulting_paragraph_id
         LEFT JOIN document_versions rv ON rv.id = rp.version_id
        WHERE c.consultation_id = $1 AND c.status <> 'withdrawn' ${publishedOnly ? `AND c.status = 'published'` : ''}
          ${documentId ? 'AND c.document_id = $2' : ''}
        ORDER BY c.seq ${limit ? `LIMIT ${Math.floor(limit)}` : ''}`,
      documentId ? [consultationId, documentId] : [consultationId],
    );
  }
}
