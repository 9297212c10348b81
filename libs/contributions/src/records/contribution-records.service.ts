import { Injectable } from '@nestjs/common';
import type { Tx } from '@plenary/database';
import { ContributionResponse, mapContribution } from './../dto/contribution.response';
import type { Viewer } from '../visibility.policy';
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
import { ContributionRecordsRepository } from './contribution-records.repository';

export type {
  ContributionRecord,
  ContributionText,
  DecisionPatch,
  DispositionPatch,
  MatrixSource,
  MemberFacts,
  QueueCounts,
  QueueFilter,
};

/** A queue entry: the contribution as a moderator sees it, and its arrival number (the queue's cursor). */
export interface QueuedContribution {
  seq: number;
  contribution: ContributionResponse;
}

/**
 * What moderation does to contributions, as purpose-named calls (contributions owns the table; moderation owns
 * decisions, flags, clusters and dispositions and keeps the contribution row's current state through here). Calls
 * that are part of a moderation change take the caller's transaction.
 */
@Injectable()
export class ContributionRecordsService {
  constructor(private readonly repo: ContributionRecordsRepository) {}

  find(id: string, tx?: Tx): Promise<ContributionRecord | null> {
    return this.repo.find(id, tx);
  }

  /** Locks the contributions a decision (or a disposition) is about, in arrival order; absent ids are left out. */
  lockForDecision(ids: string[], tx: Tx): Promise<ContributionRecord[]> {
    return this.repo.lock(ids, tx);
  }

  /** Sets the status and the latest decision's reason, note and time; clears the review. */
  applyDecision(ids: string[], patch: DecisionPatch, tx: Tx): Promise<void> {
    return this.repo.applyDecision(ids, patch, tx);
  }

  /** Counts one more flag and sets the review state (null, flagged or urgent). */
  markForReview(id: string, review: string | null, tx: Tx): Promise<void> {
    return this.repo.markForReview(id, review, tx);
  }

  /** The secretariat's current answer, and where each accepted contribution went. */
  setDisposition(
    rows: { id: string; resultingParagraphId: string | null }[],
    d: DispositionPatch,
    tx: Tx,
  ): Promise<void> {
    return this.repo.setDisposition(rows, d, tx);
  }

  /**
   * After a revision: contributions of the document with one of `dispositions` and no resulting paragraph yet get the
   * paragraph of the new version with their lineage. Returns those linked.
   */
  linkAccepted(
    documentId: string,
    byLineage: { lineageKey: string; paragraphId: string }[],
    dispositions: readonly string[],
    tx: Tx,
  ): Promise<{ id: string; paragraphId: string; consultationId: string }[]> {
    return this.repo.linkByLineage(documentId, byLineage, dispositions, tx);
  }

  /** The moderation queue, mapped for `viewer` (a moderator: text, review state, flag count). */
  async queue(f: QueueFilter, viewer: Viewer): Promise<QueuedContribution[]> {
    const rows = await this.repo.queue(f);
    return rows.map((c) => ({ seq: c.seq, contribution: mapContribution(c, { viewer, endorsements: new Map() }) }));
  }

  queueCounts(consultationId: string): Promise<QueueCounts> {
    return this.repo.queueCounts(consultationId);
  }

  /** Texts for the duplicate check (and a cluster's representative), in arrival order. */
  texts(ids: string[], tx?: Tx): Promise<ContributionText[]> {
    return this.repo.texts(ids, tx);
  }

  /** Ids of a consultation's contributions the duplicate check covers (no replies, none withdrawn), in arrival order. */
  clusterableIds(consultationId: string): Promise<string[]> {
    return this.repo.clusterableIds(consultationId);
  }

  inArrivalOrder(ids: string[], tx?: Tx): Promise<string[]> {
    return this.repo.inArrivalOrder(ids, tx);
  }

  /** What a cluster view shows of its members (author snapshot, status), in arrival order. */
  memberFacts(ids: string[], tx?: Tx): Promise<MemberFacts[]> {
    return this.repo.memberFacts(ids, tx);
  }

  /** The matrix rows `viewer` may read as text (withdrawn ones never), in arrival order. */
  matrixRows(
    consultationId: string,
    documentId: string | undefined,
    viewer: Viewer,
    limit?: number,
  ): Promise<MatrixSource[]> {
    return this.repo.matrixRows(consultationId, documentId, viewer, limit);
  }
}
