import type { WordOp } from '@plenary/documents';
import { Injectable } from '@nestjs/common';
import { Readable, Transform } from 'node:stream';
import { PUBLIC_VIEWER } from '../visibility.policy';
import { ContributionStatsRepository, ParticipationDimension, StatsScope } from './contribution-stats.repository';

/** Which contributions a report counts: those up to `until`, of one round or (null) of every round. */
export type ReportScope = Omit<StatsScope, 'viewer'>;

export interface ParticipationTally {
  key: string;
  contributors: number;
  contributions: number;
}

/** An amendment as a report quotes it (the words of a contribution the public read as text when it was taken). */
export interface ReportAmendment {
  contributionId: string;
  lineageKey: string | null;
  paragraphId: string | null;
  trackingNumber: string;
  author: string;
  organisation: string;
  group: string;
  comment: string;
  proposedText: string;
  /** The word diff stored at submission or edit; null for amendments stored before diffs were. */
  diff: WordOp[] | null;
  endorsements: number;
  disposition: string | null;
}

/**
 * One row of the open data. The words (`body`, `proposedText`, `onBehalfOf`, `contentHash`) are null where the
 * public may not read them: a hidden contribution appears as a trace, with `withheldReason` (the moderator's
 * reason code) saying why.
 */
export interface OpenDataRecord {
  trackingNumber: string;
  submittedAt: string;
  round: string;
  version: number;
  paragraph: string;
  kind: string;
  body: string | null;
  proposedText: string | null;
  onBehalfOf: string | null;
  author: string;
  group: string;
  organisation: string;
  country: string;
  region: string;
  capacity: string;
  verified: boolean;
  endorsements: number;
  disposition: string | null;
  response: string | null;
  contentHash: string | null;
  status: string;
  withheldReason: string | null;
}

/**
 * The contributions read model for reports and open data. Everything here is counted or quoted as **the public**
 * sees it (the visibility policy's PUBLIC_VIEWER): a report and the open data are public documents, whoever asks
 * for them, so what a chair downloads is what anyone may read.
 */
@Injectable()
export class ContributionStatsService {
  constructor(private readonly repo: ContributionStatsRepository) {}

  private scope(s: ReportScope): StatsScope {
    return { viewer: PUBLIC_VIEWER, until: s.until, roundId: s.roundId };
  }

  /** Contributors and contributions by stakeholder group, regional group or country of the author snapshot. */
  participationBy(
    consultationId: string,
    s: ReportScope,
    dimension: ParticipationDimension,
  ): Promise<ParticipationTally[]> {
    return this.repo.participationBy(consultationId, this.scope(s), dimension);
  }

  totals(
    consultationId: string,
    s: ReportScope,
  ): Promise<{ contributors: number; contributions: number; verifiedFocalPoints: number }> {
    return this.repo.totals(consultationId, this.scope(s));
  }

  perDay(consultationId: string, s: ReportScope): Promise<{ day: string; contributions: number }[]> {
    return this.repo.perDay(consultationId, this.scope(s));
  }

  /** Published contributions on a document (every paragraph and the general comments), from the summary table. */
  publishedOnDocument(documentId: string): Promise<number> {
    return this.repo.publishedOnDocument(documentId);
  }

  /** Per paragraph lineage of a document: counts by kind, dispositions, endorsements by the endorser's group. */
  byLineage(documentId: string, s: ReportScope) {
    return this.repo.byLineage(documentId, this.scope(s));
  }

  /** The amendments of a document a report quotes: at most `perParagraph` per paragraph lineage, the most endorsed. */
  async mostEndorsedAmendments(documentId: string, s: ReportScope, perParagraph: number): Promise<ReportAmendment[]> {
    const rows = await this.repo.mostEndorsedAmendments(documentId, this.scope(s), perParagraph);
    return rows.map((a) => ({
      contributionId: a.id as string,
      lineageKey: (a.lineage_key as string | null) ?? null,
      paragraphId: (a.paragraph_id as string | null) ?? null,
      trackingNumber: a.tracking_number as string,
      author: a.author_name as string,
      organisation: a.organisation as string,
      group: a.author_group as string,
      comment: a.body as string,
      proposedText: a.proposed_text as string,
      diff: (a.diff as WordOp[] | null) ?? null,
      endorsements: Number(a.endorsement_count),
      disposition: (a.disposition as string | null) ?? null,
    }));
  }

  /** Contribution ids by tracking number, within one consultation (unknown numbers are absent). */
  idsByTrackingNumber(consultationId: string, trackingNumbers: string[]): Promise<Map<string, string>> {
    return this.repo.idsByTrackingNumber(consultationId, [...new Set(trackingNumbers)]);
  }

  /**
   * The open data of a consultation, as the public sees it: every published contribution with its words, and
   * every hidden one as a trace (no words, no content hash: only that it exists, where, by whom and why it was
   * hidden). Pending, rejected and withdrawn contributions are not in it. An object stream of OpenDataRecord,
   * read from a database cursor; destroying it releases the connection.
   */
  async openData(consultationId: string): Promise<Readable> {
    const { stream } = await this.repo.openData(consultationId, PUBLIC_VIEWER);
    const records = new Transform({
      objectMode: true,
      transform: (r: Record<string, unknown>, _e, cb) => cb(null, toOpenDataRecord(r)),
    });
    stream.on('error', (e) => records.destroy(e));
    // The cursor is closed (and its connection released, see the repository) however the reader stops.
    records.on('close', () => stream.destroy());
    return stream.pipe(records);
  }
}

function toOpenDataRecord(r: Record<string, unknown>): OpenDataRecord {
  return {
    trackingNumber: r.tracking_number as string,
    submittedAt: new Date(r.submitted_at as string).toISOString(),
    round: `R${r.round_number}`,
    version: Number(r.version_number),
    paragraph: (r.paragraph_label as string | null) ?? 'general',
    kind: r.kind as string,
    body: (r.body as string | null) ?? null,
    proposedText: (r.proposed_text as string | null) ?? null,
    onBehalfOf: (r.on_behalf_of as string | null) ?? null,
    author: r.author_name as string,
    group: r.author_group as string,
    organisation: r.author_organisation as string,
    country: r.author_country as string,
    region: r.author_region as string,
    capacity: r.author_capacity as string,
    verified: Boolean(r.author_verified),
    endorsements: Number(r.endorsement_count),
    disposition: (r.disposition as string | null) ?? null,
    response: (r.disposition_response as string | null) ?? null,
    contentHash: (r.content_hash as string | null) ?? null,
    status: r.status as string,
    withheldReason: (r.withheld_reason as string | null) ?? null,
  };
}
