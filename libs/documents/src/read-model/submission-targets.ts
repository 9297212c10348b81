import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '@plenary/database';

/** Where a contribution lands: a paragraph of a version (or, for a general comment, the document's current version). */
export interface TargetPlace {
  paragraphId: string | null;
  paragraphLabel: string | null;
  paragraphText: string | null;
  lineageKey: string | null;
  versionId: string;
  versionNumber: number;
  documentId: string;
  consultationId: string;
}

export interface RoundWindow {
  id: string;
  number: number;
  opensAt: Date;
  closesAt: Date;
  closedEarlyAt: Date | null;
}

/**
 * SQL for use inside another lib's statement (the submission is one statement, so that the round is checked, the
 * tracking number drawn and the row written atomically): the round open at `now` on `version`, as
 * `round_id, round_number, consultation_id`. The rounds table stays this lib's: others use it only through here.
 */
export function openRoundSql(x: { version: string; now: string }): string {
  return `SELECT r.id AS round_id, r.number AS round_number, r.consultation_id FROM rounds r
           WHERE r.version_id = ${x.version} AND r.opens_at <= ${x.now} AND r.closes_at > ${x.now}
             AND (r.closed_early_at IS NULL OR r.closed_early_at > ${x.now})
           LIMIT 1`;
}

const toWindow = (r: {
  id: string;
  number: number;
  opens_at: Date;
  closes_at: Date;
  closed_early_at: Date | null;
}): RoundWindow => ({
  id: r.id,
  number: r.number,
  opensAt: new Date(r.opens_at),
  closesAt: new Date(r.closes_at),
  closedEarlyAt: r.closed_early_at ? new Date(r.closed_early_at) : null,
});

/** The read model the contributions lib places its submissions with (paragraphs, versions, documents, rounds). */
@Injectable()
export class SubmissionTargets {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async paragraph(paragraphId: string): Promise<TargetPlace | null> {
    const [r] = await this.ds.query(
      `SELECT p.id, p.label, p.text, p.lineage_key, v.id AS version_id, v.number, d.id AS document_id, d.consultation_id
         FROM paragraphs p JOIN document_versions v ON v.id = p.version_id JOIN documents d ON d.id = v.document_id
        WHERE p.id = $1`,
      [paragraphId],
    );
    if (!r) return null;
    return {
      paragraphId: r.id,
      paragraphLabel: r.label,
      paragraphText: r.text,
      lineageKey: r.lineage_key,
      versionId: r.version_id,
      versionNumber: r.number,
      documentId: r.document_id,
      consultationId: r.consultation_id,
    };
  }

  /** A document's current version, for general comments. */
  async currentVersion(documentId: string): Promise<TargetPlace | null> {
    const [r] = await this.ds.query(
      `SELECT v.id AS version_id, v.number, d.id AS document_id, d.consultation_id
         FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.number = d.current_version WHERE d.id = $1`,
      [documentId],
    );
    if (!r) return null;
    const none = { paragraphId: null, paragraphLabel: null, paragraphText: null, lineageKey: null };
    return {
      ...none,
      versionId: r.version_id,
      versionNumber: r.number,
      documentId: r.document_id,
      consultationId: r.consultation_id,
    };
  }

  /** The rounds on a version, by opening time. */
  async roundsOfVersion(versionId: string, tx: Tx = this.ds.manager): Promise<RoundWindow[]> {
    const rows = await tx.query(
      `SELECT id, number, opens_at, closes_at, closed_early_at FROM rounds WHERE version_id = $1 ORDER BY opens_at`,
      [versionId],
    );
    return rows.map(toWindow);
  }

  async round(roundId: string, tx: Tx = this.ds.manager): Promise<RoundWindow | null> {
    const [r] = await tx.query(`SELECT id, number, opens_at, closes_at, closed_early_at FROM rounds WHERE id = $1`, [
      roundId,
    ]);
    return r ? toWindow(r) : null;
  }

  /** Is a round open on this document (any version) at `now`? */
  async documentRoundOpen(documentId: string, now: Date, tx: Tx = this.ds.manager): Promise<boolean> {
    const rows = await tx.query(
      `SELECT 1 FROM rounds WHERE document_id = $1 AND opens_at <= $2 AND closes_at > $2 AND (closed_early_at IS NULL OR closed_early_at > $2) LIMIT 1`,
      [documentId, now],
    );
    return rows.length > 0;
  }

  /** The ids of the rounds on a version (to make tracking sequences for rounds that predate them). */
  async roundIdsOfVersion(versionId: string): Promise<string[]> {
    return (await this.roundsOfVersion(versionId)).map((r) => r.id);
  }
}
