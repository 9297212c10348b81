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
    clusters: { id: string; status: string; count: number; representative: string }[];
    amendments: { trackingNumber: string; author: string; organisation: string; group: string; comment: string; proposedText: string; endorsements: number; disposition: string | null; diff: WordOp[] }[];
  }[];
  clusters: { id: string; status: string; count: number; representative: string }[];
  /** The first REPORT_MATRIX_ROWS rows of the resolution matrix, in arrival order */
  matrix: Record<string, string | number | null>[];
  /** How many rows the whole matrix has (absent in reports made before the cap) */
  matrixTotal?: number;
  changes: { from: number; to: number; summary: Record<string, number>; paragraphs: { status: string; label: string; ops?: WordOp[] }[] } | null;
}
