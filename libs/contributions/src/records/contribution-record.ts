/**
 * Plain records the contributions lib hands to moderation (which changes a contribution's status, review, flag
 * count and disposition through ContributionRecordsService, never by SQL of its own). Never entities.
 */

/** A contribution's place, status and moderation state: no text. */
export interface ContributionRecord {
  id: string;
  seq: number;
  consultationId: string;
  documentId: string;
  versionNumber: number;
  paragraphId: string | null;
  lineageKey: string | null;
  kind: string;
  status: string;
  authorId: string;
  trackingNumber: string;
  review: string | null;
  flagCount: number;
  disposition: string | null;
  dispositionResponse: string | null;
  resultingParagraphId: string | null;
}

/** What the duplicate check fingerprints, with what the visibility policy needs to decide who may read it. */
export interface ContributionText {
  id: string;
  consultationId: string;
  kind: string;
  status: string;
  authorId: string;
  trackingNumber: string;
  body: string;
  proposedText: string | null;
}

/** What a cluster view shows of a member: the author snapshot at submission, no text. */
export interface MemberFacts {
  id: string;
  seq: number;
  trackingNumber: string;
  lineageKey: string | null;
  status: string;
  authorId: string;
  authorName: string;
  organisation: string;
  group: string;
  region: string;
  country: string;
}

/** A moderation decision's effect on the contribution row (it also clears `review`). */
export interface DecisionPatch {
  status: string;
  moderationReason: string;
  moderationNote: string | null;
  moderatedAt: Date;
}

/** The secretariat's current answer on a contribution. */
export interface DispositionPatch {
  disposition: string;
  response: string;
  at: Date;
}

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

export interface QueueCounts {
  pending: number;
  flagged: number;
  urgent: number;
}

/** One row of the comment-resolution matrix, as stored (text included: the caller applies the visibility policy per cell). */
export interface MatrixSource {
  id: string;
  documentId: string;
  resultingParagraphId: string | null;
  trackingNumber: string;
  status: string;
  authorId: string;
  authorName: string;
  authorOrganisation: string;
  onBehalfOf: string | null;
  group: string;
  country: string;
  region: string;
  paragraphLabel: string | null;
  versionNumber: number;
  kind: string;
  body: string;
  proposedText: string | null;
  disposition: string | null;
  dispositionResponse: string | null;
  submittedAt: Date;
}
