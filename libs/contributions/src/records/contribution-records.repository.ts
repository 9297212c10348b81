import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { returnedRows, type Tx } from '@plenary/database';
import { ContributionEntity } from '../contribution.entity';
import { visibleSql, Viewer } from '../visibility.policy';
import type {
  ContributionRecord,
  ContributionText,
  DecisionPatch,
  DispositionPatch,
  MatrixSource,
  MemberFacts,
  QueueCounts,
  QueueFilter,
} from './contribution-record';

/** Rows per statement when a whole campaign (up to a hundred thousand contributions) is changed at once. */
const CHUNK = 5000;

const RECORD_SQL = `c.id, c.seq, c.consultation_id, c.document_id, c.version_number, c.paragraph_id, c.lineage_key, c.kind, c.status,
  c.author_id, c.tracking_number, c.review, c.flag_count, c.disposition, c.disposition_response, c.resulting_paragraph_id`;
const TEXT_SQL = `c.id, c.consultation_id, c.kind, c.status, c.author_id, c.tracking_number, c.body, c.proposed_text`;

type Row = Record<string, unknown>;
const str = (v: unknown): string => v as string;
const strOrNull = (v: unknown): string | null => (v as string | null) ?? null;

const toRecord = (r: Row): ContributionRecord => ({
  id: str(r.id),
  seq: Number(r.seq),
  consultationId: str(r.consultation_id),
  documentId: str(r.document_id),
  versionNumber: Number(r.version_number),
  paragraphId: strOrNull(r.paragraph_id),
  lineageKey: strOrNull(r.lineage_key),
  kind: str(r.kind),
  status: str(r.status),
  authorId: str(r.author_id),
  trackingNumber: str(r.tracking_number),
  review: strOrNull(r.review),
  flagCount: Number(r.flag_count),
  disposition: strOrNull(r.disposition),
  dispositionResponse: strOrNull(r.disposition_response),
  resultingParagraphId: strOrNull(r.resulting_paragraph_id),
});

const toText = (r: Row): ContributionText => ({
  id: str(r.id),
  consultationId: str(r.consultation_id),
  kind: str(r.kind),
  status: str(r.status),
  authorId: str(r.author_id),
  trackingNumber: str(r.tracking_number),
  body: str(r.body),
  proposedText: strOrNull(r.proposed_text),
});

/**
 * The SQL moderation needs over contributions (this lib's table): locking and changing status, review, flag count
 * and disposition, the moderation queue, texts for the duplicate check, member facts for clusters, the matrix rows.
 */
@Injectable()
export class ContributionRecordsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async find(id: string, tx: Tx = this.ds.manager): Promise<ContributionRecord | null> {
    const rows: Row[] = await tx.query(`SELECT ${RECORD_SQL} FROM contributions c WHERE c.id = $1`, [id]);
    return rows.length ? toRecord(rows[0]) : null;
  }

  /** Locks these contributions (those that exist) for a change, in arrival order (so two lockers never deadlock). */
  async lock(ids: string[], tx: Tx): Promise<ContributionRecord[]> {
    if (!ids.length) return [];
    const rows: Row[] = await tx.query(
      `SELECT ${RECORD_SQL} FROM contributions c WHERE c.id = ANY($1::uuid[]) ORDER BY c.seq FOR UPDATE`,
      [ids],
    );
    return rows.map(toRecord);
  }

  async applyDecision(ids: string[], patch: DecisionPatch, tx: Tx): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await tx.update(ContributionEntity, { id: In(ids.slice(i, i + CHUNK)) }, { ...patch, review: null });
    }
  }

  /** One more flag counted on the row, and its review state. */
  async markForReview(id: string, review: string | null, tx: Tx): Promise<void> {
    await tx.query(`UPDATE contributions SET flag_count = flag_count + 1, review = $2 WHERE id = $1`, [id, review]);
  }

  /** The same answer on many contributions, each with its own resulting paragraph (or none). */
  async setDisposition(
    rows: { id: string; resultingParagraphId: string | null }[],
    d: DispositionPatch,
    tx: Tx,
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      await tx.query(
        `UPDATE contributions c SET disposition = $3, disposition_response = $4, disposed_at = $5, resulting_paragraph_id = x.resulting
           FROM unnest($1::uuid[], $2::uuid[]) AS x(id, resulting)
          WHERE c.id = x.id`,
        [chunk.map((r) => r.id), chunk.map((r) => r.resultingParagraphId), d.disposition, d.response, d.at],
      );
    }
  }

  /**
   * Contributions of a document with one of `dispositions`, not linked yet, get the paragraph given for their lineage.
   * Returns those linked.
   */
  async linkByLineage(
    documentId: string,
    byLineage: { lineageKey: string; paragraphId: string }[],
    dispositions: readonly string[],
    tx: Tx,
  ): Promise<{ id: string; paragraphId: string; consultationId: string }[]> {
    if (!byLineage.length) return [];
    const res = await tx.query(
      `UPDATE contributions c SET resulting_paragraph_id = x.paragraph_id
         FROM unnest($2::uuid[], $3::uuid[]) AS x(lineage_key, paragraph_id)
        WHERE c.document_id = $1 AND c.lineage_key = x.lineage_key
          AND c.disposition = ANY($4::text[]) AND c.resulting_paragraph_id IS NULL
        RETURNING c.id, x.paragraph_id, c.consultation_id`,
      [documentId, byLineage.map((l) => l.lineageKey), byLineage.map((l) => l.paragraphId), [...dispositions]],
    );
    return returnedRows<{ id: string; paragraph_id: string; consultation_id: string }>(res).map((r) => ({
      id: r.id,
      paragraphId: r.paragraph_id,
      consultationId: r.consultation_id,
    }));
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

  async queueCounts(consultationId: string): Promise<QueueCounts> {
    const [r] = await this.ds.query(
      `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
              count(*) FILTER (WHERE review IS NOT NULL AND status IN ('published', 'pending'))::int AS flagged,
              count(*) FILTER (WHERE review = 'urgent' AND status IN ('published', 'pending'))::int AS urgent
         FROM contributions WHERE consultation_id = $1 AND (status = 'pending' OR review IS NOT NULL)`,
      [consultationId],
    );
    return { pending: r.pending, flagged: r.flagged, urgent: r.urgent };
  }

  /** Texts of these contributions (those that exist), in arrival order. */
  async texts(ids: string[], tx: Tx = this.ds.manager): Promise<ContributionText[]> {
    if (!ids.length) return [];
    const rows: Row[] = await tx.query(
      `SELECT ${TEXT_SQL} FROM contributions c WHERE c.id = ANY($1::uuid[]) ORDER BY c.seq`,
      [ids],
    );
    return rows.map(toText);
  }

  /** Every contribution of a consultation the duplicate check looks at (no replies, none withdrawn), ids in arrival order. */
  async clusterableIds(consultationId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `SELECT id FROM contributions WHERE consultation_id = $1 AND kind <> 'reply' AND status <> 'withdrawn' ORDER BY seq`,
      [consultationId],
    );
    return rows.map((r) => r.id);
  }

  /** These ids (those that exist) in arrival order. */
  async inArrivalOrder(ids: string[], tx: Tx = this.ds.manager): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await tx.query(
      `SELECT id FROM contributions WHERE id = ANY($1::uuid[]) ORDER BY seq`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  /** Author snapshot and status of these contributions, in arrival order. */
  async memberFacts(ids: string[], tx: Tx = this.ds.manager): Promise<MemberFacts[]> {
    if (!ids.length) return [];
    const rows: Row[] = await tx.query(
      `SELECT id, seq, tracking_number, lineage_key, status, author_id, author_name, author_organisation, author_group, author_region, author_country
         FROM contributions WHERE id = ANY($1::uuid[]) ORDER BY seq`,
      [ids],
    );
    return rows.map((r) => ({
      id: String(r.id),
      seq: Number(r.seq),
      trackingNumber: String(r.tracking_number),
      lineageKey: strOrNull(r.lineage_key),
      status: String(r.status),
      authorId: String(r.author_id),
      authorName: String(r.author_name),
      organisation: String(r.author_organisation),
      group: String(r.author_group),
      region: String(r.author_region),
      country: String(r.author_country),
    }));
  }

  /**
   * The matrix rows of a consultation (or one document), in arrival order: every contribution but withdrawn ones that
   * `viewer` may read as text, by the visibility policy (moderators: all of them).
   */
  async matrixRows(
    consultationId: string,
    documentId: string | undefined,
    viewer: Viewer,
    limit?: number,
  ): Promise<MatrixSource[]> {
    const params: unknown[] = [consultationId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const byDocument = documentId ? `AND c.document_id = ${param(documentId)}` : '';
    const visible = visibleSql('c', viewer, 'text', param);
    const cap = limit ? `LIMIT ${param(Math.floor(limit))}` : '';
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT c.id, c.document_id, c.resulting_paragraph_id, c.tracking_number, c.status, c.author_id, c.author_name, c.author_organisation,
              c.on_behalf_of, c.author_group, c.author_country, c.author_region, c.paragraph_label, c.version_number, c.kind, c.body,
              c.proposed_text, c.disposition, c.disposition_response, c.submitted_at
         FROM contributions c
        WHERE c.consultation_id = $1 AND c.status <> 'withdrawn' AND ${visible} ${byDocument}
        ORDER BY c.seq ${cap}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id as string,
      documentId: r.document_id as string,
      resultingParagraphId: (r.resulting_paragraph_id as string | null) ?? null,
      trackingNumber: r.tracking_number as string,
      status: r.status as string,
      authorId: r.author_id as string,
      authorName: r.author_name as string,
      authorOrganisation: r.author_organisation as string,
      onBehalfOf: (r.on_behalf_of as string | null) ?? null,
      group: r.author_group as string,
      country: r.author_country as string,
      region: r.author_region as string,
      paragraphLabel: (r.paragraph_label as string | null) ?? null,
      versionNumber: Number(r.version_number),
      kind: r.kind as string,
      body: r.body as string,
      proposedText: (r.proposed_text as string | null) ?? null,
      disposition: (r.disposition as string | null) ?? null,
      dispositionResponse: (r.disposition_response as string | null) ?? null,
      submittedAt: new Date(r.submitted_at as string),
    }));
  }
}
