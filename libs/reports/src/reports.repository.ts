import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import QueryStream from 'pg-query-stream';
import type { Readable } from 'node:stream';
import { ReportEntity } from './report.entity';

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);

/** The SQL of reports: aggregates over published contributions, and the streamed open-data export. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  insert(row: Omit<ReportEntity, 'id' | 'createdAt'>): Promise<ReportEntity> {
    return this.ds.manager.save(this.ds.manager.create(ReportEntity, row));
  }

  find(id: string): Promise<ReportEntity | null> {
    return this.ds.manager.findOne(ReportEntity, { where: { id } });
  }

  list(consultationId: string): Promise<ReportEntity[]> {
    return this.ds.manager.find(ReportEntity, { where: { consultationId }, order: { createdAt: 'DESC' }, select: { id: true, consultationId: true, roundId: true, inputs: true, contentHash: true, createdAt: true, createdBy: true } });
  }

  private scope(roundId: string | null): { sql: string; params: unknown[] } {
    return roundId ? { sql: `AND c.round_id = $3`, params: [roundId] } : { sql: '', params: [] };
  }

  /** Contributors and contributions by a dimension of the author snapshot (published contributions, up to `until`). */
  async participation(consultationId: string, until: Date, roundId: string | null, dimension: 'author_group' | 'author_region' | 'author_country') {
    const s = this.scope(roundId);
    const rows: Row[] = await this.ds.query(
      `SELECT ${dimension} AS key, count(DISTINCT author_id) AS contributors, count(*) AS contributions
         FROM contributions c WHERE c.consultation_id = $1 AND c.status = 'published' AND c.submitted_at <= $2 ${s.sql}
        GROUP BY 1 ORDER BY 3 DESC, 1`,
      [consultationId, until, ...s.params],
    );
    return rows.map((r) => ({ key: r.key as string, contributors: n(r.contributors), contributions: n(r.contributions) }));
  }

  async totals(consultationId: string, until: Date, roundId: string | null) {
    const s = this.scope(roundId);
    const [r]: Row[] = await this.ds.query(
      `SELECT count(DISTINCT author_id) AS contributors, count(*) AS contributions,
              count(DISTINCT author_id) FILTER (WHERE author_verified) AS verified
         FROM contributions c WHERE c.consultation_id = $1 AND c.status = 'published' AND c.submitted_at <= $2 ${s.sql}`,
      [consultationId, until, ...s.params],
    );
    return { contributors: n(r.contributors), contributions: n(r.contributions), verifiedFocalPoints: n(r.verified) };
  }

  /** Published contributions on a document (every paragraph and the general comments), from the summary table. */
  async publishedOnDocument(documentId: string): Promise<number> {
    const [r]: Row[] = await this.ds.query(`SELECT coalesce(sum(published), 0) AS n FROM paragraph_counts WHERE document_id = $1`, [documentId]);
    return n(r.n);
  }

  async perDay(consultationId: string, until: Date, roundId: string | null) {
    const s = this.scope(roundId);
    const rows: Row[] = await this.ds.query(
      `SELECT to_char(date_trunc('day', submitted_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*) AS contributions
         FROM contributions c WHERE c.consultation_id = $1 AND c.status = 'published' AND c.submitted_at <= $2 ${s.sql}
        GROUP BY 1 ORDER BY 1`,
      [consultationId, until, ...s.params],
    );
    return rows.map((r) => ({ day: r.day as string, contributions: n(r.contributions) }));
  }

  /** Per paragraph lineage of one document: counts by kind, endorsements, dispositions. */
  async byLineage(documentId: string, until: Date, roundId: string | null) {
    const s = this.scope(roundId);
    const rows: Row[] = await this.ds.query(
      `SELECT lineage_key, kind, count(*) AS n, sum(endorsement_count) AS endorsements
         FROM contributions c WHERE c.document_id = $1 AND c.status = 'published' AND c.submitted_at <= $2 ${s.sql}
        GROUP BY 1, 2`,
      [documentId, until, ...s.params],
    );
    const disp: Row[] = await this.ds.query(
      `SELECT lineage_key, disposition, count(*) AS n FROM contributions c
        WHERE c.document_id = $1 AND c.status = 'published' AND c.disposition IS NOT NULL AND c.submitted_at <= $2 ${s.sql} GROUP BY 1, 2`,
      [documentId, until, ...s.params],
    );
    const endorse: Row[] = await this.ds.query(
      `SELECT c.lineage_key, e.user_group, count(*) AS n FROM endorsements e JOIN contributions c ON c.id = e.contribution_id
        WHERE c.document_id = $1 AND c.status = 'published' AND e.withdrawn_at IS NULL AND e.created_at <= $2 ${s.sql} GROUP BY 1, 2`,
      [documentId, until, ...s.params],
    );
    return { kinds: rows, dispositions: disp, endorsements: endorse };
  }

  /** The amendments of a document, with what a report shows of them. */
  /** The published amendments of a document, at most `perParagraph` per paragraph lineage (the most endorsed first). */
  amendments(documentId: string, until: Date, roundId: string | null, perParagraph: number): Promise<Row[]> {
    const s = this.scope(roundId);
    return this.ds.query(
      `SELECT x.*, p.text AS paragraph_text FROM (
         SELECT c.seq, c.lineage_key, c.paragraph_id, c.tracking_number, c.author_name, c.author_group, coalesce(c.on_behalf_of, c.author_organisation) AS organisation,
                c.body, c.proposed_text, c.endorsement_count, c.disposition,
                row_number() OVER (PARTITION BY c.lineage_key ORDER BY c.endorsement_count DESC, c.seq) AS rank
           FROM contributions c
          WHERE c.document_id = $1 AND c.status = 'published' AND c.kind = 'amendment' AND c.submitted_at <= $2 ${s.sql}
       ) x JOIN paragraphs p ON p.id = x.paragraph_id
       WHERE x.rank <= ${Number(perParagraph)}
       ORDER BY x.seq`,
      [documentId, until, ...s.params],
    );
  }

  async clusters(consultationId: string): Promise<{ id: string; status: string; count: number; trackingNumber: string; lineageKey: string | null }[]> {
    const rows: Row[] = await this.ds.query(
      `SELECT k.id, k.status, count(m.id) AS n, c.tracking_number, c.lineage_key FROM clusters k
         JOIN cluster_members m ON m.cluster_id = k.id AND m.removed_at IS NULL
         JOIN contributions c ON c.id = k.representative_id
        WHERE k.consultation_id = $1 AND k.status IN ('suggested', 'confirmed') GROUP BY k.id, c.tracking_number, c.lineage_key ORDER BY 3 DESC`,
      [consultationId],
    );
    return rows.map((r) => ({ id: r.id as string, status: r.status as string, count: n(r.n), trackingNumber: r.tracking_number as string, lineageKey: (r.lineage_key as string) ?? null }));
  }

  /**
   * Every published contribution of a consultation with its author snapshot, paragraph and disposition, read with a
   * server-side cursor (pg-query-stream) so memory stays flat whatever the size. The caller must end the stream.
   */
  async openData(consultationId: string): Promise<{ stream: Readable; release: () => void }> {
    const driver = this.ds.driver as unknown as { master: { connect(): Promise<{ query(q: QueryStream): Readable; release(): void }> } };
    const client = await driver.master.connect();
    const stream = client.query(
      new QueryStream(
        `SELECT c.tracking_number, c.submitted_at, c.kind, c.status, c.round_number, c.version_number, c.paragraph_label, c.body, c.proposed_text,
                c.on_behalf_of, c.author_name, c.author_group, c.author_organisation, c.author_country, c.author_region, c.author_capacity,
                c.author_verified, c.endorsement_count, c.disposition, c.disposition_response, c.content_hash
           FROM contributions c WHERE c.consultation_id = $1 AND c.status = 'published' ORDER BY c.seq`,
        [consultationId],
        { batchSize: 500 },
      ),
    );
    let released = false;
    const release = () => {
      if (!released) (released = true), client.release();
    };
    stream.once('end', release);
    stream.once('error', release);
    stream.once('close', release);
    return { stream, release };
  }
}
