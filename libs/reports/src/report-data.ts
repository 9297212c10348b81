import type { WordOp } from '@plenary/documents';

export interface Tally {
  key: string;
  contributors: number;
  contributions: number;
}

/** What a report snapshot holds (stored as JSON, hashed, exported in every format). */
export interface ReportData {
  consultation: { id: string; code: string; title: string };
  round: { id: string; name: string; opensAt: string; closesAt: string; closedEarlyAt: string | null } | null;
  document: { id: string; title: string; version: number; versionName: string };
  generatedAt: string;
  participation: {
    contributors: number;
    contributions: number;
    verifiedFocalPoints: number;
    byGroup: Tally[];
    byRegion: Tally[];
    byCountry: Tally[];
    perDay: { day: string; contributions: number }[];
  };
  mostDiscussed: { label: string; published: number; amendments: number }[];
  paragraphs: {
    label: string;
    lineageKey: string;
    published: number;
    byKind: { comment: number; amendment: number; reply: number };
    endorsements: number;
    endorsementsByGroup: Record<string, number>;
    dispositions: Record<string, number>;
    clusters: ReportCluster[];
    amendments: ReportAmendmentItem[];
  }[];
  clusters: ReportCluster[];
  /** The first REPORT_MATRIX_ROWS rows of the resolution matrix, in arrival order (each with its `contributionId`) */
  matrix: ReportMatrixRow[];
  /** How many rows the whole matrix has (absent in reports made before the cap) */
  matrixTotal?: number;
  changes: {
    from: number;
    to: number;
    summary: Record<string, number>;
    paragraphs: { status: string; label: string; ops?: WordOp[] }[];
  } | null;
}

/**
 * A cluster as a report shows it. `representative` is a tracking number; `representativeId` (the contribution
 * behind it) is absent in reports made before issue 14, which are traced by tracking number instead.
 */
export interface ReportCluster {
  id: string;
  status: string;
  count: number;
  representative: string;
  representativeId?: string;
}

/**
 * An amendment a report quotes. `contributionId` is absent in reports made before issue 14 (traced by tracking
 * number instead). `withheld` appears only in a served report: the reason code why its words were withheld.
 */
export interface ReportAmendmentItem {
  contributionId?: string;
  trackingNumber: string;
  author: string;
  organisation: string;
  group: string;
  comment: string;
  proposedText: string;
  endorsements: number;
  disposition: string | null;
  diff: WordOp[];
  withheld?: string;
}

/** A row of the resolution matrix as stored (the moderation lib's MatrixRow), plus `withheld` when served redacted. */
export type ReportMatrixRow = Record<string, string | number | null>;

/**
 * What serving a report under today's visibility policy withheld from one reader: how many contributions the
 * snapshot quotes that this reader may no longer read as text, by reason code (the moderator's reason for hidden
 * or rejected ones, else `withdrawn`, `under_review`, `unavailable` or `not_visible`), and the same in words.
 */
export interface Redactions {
  count: number;
  byReason: Record<string, number>;
  /** For people, in words; null when nothing was withheld. */
  note: string | null;
}
