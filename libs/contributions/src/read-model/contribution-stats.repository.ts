import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import QueryStream from 'pg-query-stream';
import type { Readable } from 'node:stream';
import { type Viewer, visibleSql } from '../visibility.policy';

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);

/** A dimension of the author snapshot that participation is counted by. */
export type ParticipationDimension = 'group' | 'region' | 'country';
const DIMENSION_COLUMN: Record<ParticipationDimension, string> = {
  group: 'author_group',
  region: 'author_region',
  country: 'author_country',
};

/** Numbered bind parameters, for SQL built from parts (the visibility policy adds its own). */
class Params {
  readonly values: unknown[] = [];
  add = (value: unknown): string => {
    this.values.push(value);
    return `$${this.values.length}`;
  };
}

/** What a statistic counts: one viewer's sight (`text`), a consultation or a document, up to a moment, maybe one round. */
export interface StatsScope {
  viewer: Viewer;
  until: Date;
  roundId: string | null;
}

/**
 * The SQL of the contributions read model for reports and open data: aggregates over what a viewer sees as text
 * (the visibility policy's `visibleSql`), and the streamed open-data export. Contributions, endorsements,
 * paragraph_counts: the tables of this lib only.
 */
@Injectable()
export class ContributionStatsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** `c.consultation_id|document_id = … AND visible as text AND submitted by until [AND round]`, with its params. */
  private where(
    column: 'consultation_id' | 'document_id',
    id: string,
    s: StatsScope,
    p = new Params(),
    submittedColumn = 'c.submitted_at',
  ): { sql: string; p: Params } {
    const parts = [
      `c.${column} = ${p.add(id)}`,
      visibleSql('c', s.viewer, 'text', p.add),
      `${submittedColumn} <= ${p.add(s.until)}`,
    ];
    if (s.roundId) parts.push(`c.round_id = ${p.add(s.roundId)}`);
    return { sql: parts.join(' AND '), p };
  }

  async participationBy(
    consultationId: string,
    s: StatsScope,
    dimension: ParticipationDimension,
  ): Promise<{ key: string; contributors: number; contributions: number }[]> {
    const w = this.where('consultation_id', consultationId, s);
    const rows: Row[] = await this.ds.query(
      `SELECT c.${DIMENSION_COLUMN[dimension]} AS key, count(DISTINCT c.author_id) AS contributors, count(*) AS contributions
         FROM contributions c WHERE ${w.sql}
        GROUP BY 1 ORDER BY 3 DESC, 1`,
      w.p.values,
    );
    return rows.map((r) => ({
      key: r.key as string,
      contributors: n(r.contributors),
      contributions: n(r.contributions),
    }));
  }

  async totals(
    consultationId: string,
    s: StatsScope,
  ): Promise<{ contributors: number; contributions: number; verifiedFocalPoints: number }> {
    const w = this.where('consultation_id', consultationId, s);
    const [r]: Row[] = await this.ds.query(
      `SELECT count(DISTINCT c.author_id) AS contributors, count(*) AS contributions,
              count(DISTINCT c.author_id) FILTER (WHERE c.author_verified) AS verified
         FROM contributions c WHERE ${w.sql}`,
      w.p.values,
    );
    return { contributors: n(r.contributors), contributions: n(r.contributions), verifiedFocalPoints: n(r.verified) };
  }

  async perDay(consultationId: string, s: StatsScope): Promise<{ day: string; contributions: number }[]> {
    const w = this.where('consultation_id', consultationId, s);
    const rows: Row[] = await this.ds.query(
      `SELECT to_char(date_trunc('day', c.submitted_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*) AS contributions
         FROM contributions c WHERE ${w.sql}
        GROUP BY 1 ORDER BY 1`,
      w.p.values,
    );
    return rows.map((r) => ({ day: r.day as string, contributions: n(r.contributions) }));
  }

  /** Published contributions on a document (every paragraph and the general comments), from the summary table. */
  async publishedOnDocument(documentId: string): Promise<number> {
    const [r]: Row[] = await this.ds.query(
      `SELECT coalesce(sum(published), 0) AS n FROM paragraph_counts WHERE document_id = $1`,
      [documentId],
    );
    return n(r.n);
  }

  /** Per paragraph lineage of one document: contributions by kind, dispositions, and endorsements by the endorser's group. */
  async byLineage(
    documentId: string,
    s: StatsScope,
  ): Promise<{
    kinds: { lineageKey: string | null; kind: string; count: number }[];
    dispositions: { lineageKey: string | null; disposition: string; count: number }[];
    endorsements: { lineageKey: string | null; group: string; count: number }[];
  }> {
    const k = this.where('document_id', documentId, s);
    const d = this.where('document_id', documentId, s);
    // Endorsements count up to the moment too (when the endorsement was made, whenever the contribution was).
    const e = this.where('document_id', documentId, s, new Params(), 'e.created_at');
    const [kinds, dispositions, endorsements]: Row[][] = await Promise.all([
      this.ds.query(
        `SELECT c.lineage_key, c.kind, count(*) AS n FROM contributions c WHERE ${k.sql} GROUP BY 1, 2`,
        k.p.values,
      ),
      this.ds.query(
        `SELECT c.lineage_key, c.disposition, count(*) AS n FROM contributions c WHERE ${d.sql} AND c.disposition IS NOT NULL GROUP BY 1, 2`,
        d.p.values,
      ),
      this.ds.query(
        `SELECT c.lineage_key, e.user_group, count(*) AS n FROM endorsements e JOIN contributions c ON c.id = e.contribution_id
          WHERE ${e.sql} AND e.withdrawn_at IS NULL GROUP BY 1, 2`,
        e.p.values,
      ),
    ]);
    return {
      kinds: kinds.map((r) => ({
        lineageKey: (r.lineage_key as string | null) ?? null,
        kind: r.kind as string,
        count: n(r.n),
      })),
      dispositions: dispositions.map((r) => ({
        lineageKey: (r.lineage_key as string | null) ?? null,
        disposition: r.disposition as string,
        count: n(r.n),
      })),
      endorsements: endorsements.map((r) => ({
        lineageKey: (r.lineage_key as string | null) ?? null,
        group: r.user_group as string,
        count: n(r.n),
      })),
    };
  }

  /** The amendments of a document, at most `perParagraph` per paragraph lineage (the most endorsed first), in arrival order. */
  async mostEndorsedAmendments(documentId: string, s: StatsScope, perParagraph: number): Promise<Row[]> {
    const w = this.where('document_id', documentId, s);
    return this.ds.query(
      `SELECT x.* FROM (
         SELECT c.id, c.seq, c.lineage_key, c.paragraph_id, c.tracking_number, c.author_name, c.author_group,
                coalesce(c.on_behalf_of, c.author_organisation) AS organisation, c.body, c.proposed_text, c.diff, c.endorsement_count, c.disposition,
                row_number() OVER (PARTITION BY c.lineage_key ORDER BY c.endorsement_count DESC, c.seq) AS rank
           FROM contributions c
          WHERE ${w.sql} AND c.kind = 'amendment'
       ) x
       WHERE x.rank <= ${Math.floor(perParagraph)}
       ORDER BY x.seq`,
      w.p.values,
    );
  }

  /** Contribution ids by tracking number within a consultation (to trace items of reports stored before they kept ids). */
  async idsByTrackingNumber(consultationId: string, trackingNumbers: string[]): Promise<Map<string, string>> {
    if (!trackingNumbers.length) return new Map();
    const rows: { id: string; tracking_number: string }[] = await this.ds.query(
      `SELECT id, tracking_number FROM contributions WHERE consultation_id = $1 AND tracking_number = ANY($2::text[])`,
      [consultationId, trackingNumbers],
    );
    return new Map(rows.map((r) => [r.tracking_number, r.id]));
  }

  /**
   * Every contribution of a consultation that `viewer` sees at least as a trace, oldest first, with its words only
   * where `viewer` sees it as text (else null, and the moderator's reason code), read through a server-side cursor
   * (pg-query-stream, 500 rows at a time) so memory stays flat whatever the size. The caller must end the stream.
   */
  async openData(consultationId: string, viewer: Viewer): Promise<{ stream: Readable; release: () => void }> {
    const p = new Params();
    const id = p.add(consultationId);
    const text = visibleSql('c', viewer, 'text', p.add);
    const trace = visibleSql('c', viewer, 'trace', p.add);
    const driver = this.ds.driver as unknown as {
      master: { connect(): Promise<{ query(q: QueryStream): Readable; release(): void }> };
    };
    const client = await driver.master.connect();
    const stream = client.query(
      new QueryStream(
        `SELECT c.tracking_number, c.submitted_at, c.kind, c.status, c.round_number, c.version_number, c.paragraph_label,
                CASE WHEN ${text} THEN c.body END AS body, CASE WHEN ${text} THEN c.proposed_text END AS proposed_text,
                CASE WHEN ${text} THEN c.on_behalf_of END AS on_behalf_of, CASE WHEN ${text} THEN c.content_hash END AS content_hash,
                CASE WHEN ${text} THEN NULL ELSE coalesce(c.moderation_reason, 'other') END AS withheld_reason,
                c.author_name, c.author_group, c.author_organisation, c.author_country, c.author_region, c.author_capacity,
                c.author_verified, c.endorsement_count, c.disposition, CASE WHEN ${text} THEN c.disposition_response END AS disposition_response
           FROM contributions c WHERE c.consultation_id = ${id} AND ${trace} ORDER BY c.seq`,
        p.values,
        { batchSize: 500 },
      ),
    );
    let released = false;
    const release = () => {
      if (!released) ((released = true), client.release());
    };
    stream.once('end', release);
    stream.once('error', release);
    stream.once('close', release);
    return { stream, release };
  }
}
