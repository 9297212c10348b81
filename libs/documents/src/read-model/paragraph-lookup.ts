import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '@plenary/database';

/** Where a paragraph sits: its document (and consultation), its version and its lineage. */
export interface ParagraphPlace {
  id: string;
  label: string;
  lineageKey: string;
  versionId: string;
  versionNumber: number;
  documentId: string;
  consultationId: string;
}

/** The paragraph carrying a lineage in its document's current version. */
export interface CurrentParagraph {
  documentId: string;
  lineageKey: string;
  paragraphId: string;
  versionNumber: number;
}

interface PlaceRow {
  id: string;
  label: string;
  lineage_key: string;
  version_id: string;
  version_number: number;
  document_id: string;
  consultation_id: string;
}

const toPlace = (r: PlaceRow): ParagraphPlace => ({
  id: r.id,
  label: r.label,
  lineageKey: r.lineage_key,
  versionId: r.version_id,
  versionNumber: r.version_number,
  documentId: r.document_id,
  consultationId: r.consultation_id,
});

/**
 * The read model other libs use to place paragraphs (paragraphs, document_versions and documents belong to this lib):
 * where a paragraph is, which paragraph of the current version carries a lineage, what a version holds. Batched by id
 * arrays, so a caller working on thousands of contributions asks once.
 */
@Injectable()
export class ParagraphLookup {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Places of these paragraphs (those that exist), by id. */
  async places(ids: string[], tx: Tx = this.ds.manager): Promise<Map<string, ParagraphPlace>> {
    if (!ids.length) return new Map();
    const rows: PlaceRow[] = await tx.query(
      `SELECT p.id, p.label, p.lineage_key, v.id AS version_id, v.number AS version_number, d.id AS document_id, d.consultation_id
         FROM paragraphs p JOIN document_versions v ON v.id = p.version_id JOIN documents d ON d.id = v.document_id
        WHERE p.id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, toPlace(r)]));
  }

  /** Paragraph text by id (any version; paragraphs never change once published); unknown ids are absent. */
  async texts(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows: { id: string; text: string }[] = await this.ds.query(
      `SELECT id, text FROM paragraphs WHERE id = ANY($1::uuid[])`,
      [unique],
    );
    return new Map(rows.map((r) => [r.id, r.text]));
  }

  async place(id: string, tx?: Tx): Promise<ParagraphPlace | null> {
    return (await this.places([id], tx)).get(id) ?? null;
  }

  /** For each (document, lineage) pair: the paragraph with that lineage in the document's current version, if any. */
  async inCurrentVersion(
    pairs: { documentId: string; lineageKey: string }[],
    tx: Tx = this.ds.manager,
  ): Promise<CurrentParagraph[]> {
    const unique = [...new Map(pairs.map((p) => [`${p.documentId}|${p.lineageKey}`, p])).values()];
    if (!unique.length) return [];
    const rows: { document_id: string; lineage_key: string; id: string; number: number }[] = await tx.query(
      `SELECT d.id AS document_id, p.lineage_key, p.id, v.number
         FROM unnest($1::uuid[], $2::uuid[]) AS want(document_id, lineage_key)
         JOIN documents d ON d.id = want.document_id
         JOIN document_versions v ON v.document_id = d.id AND v.number = d.current_version
         JOIN paragraphs p ON p.version_id = v.id AND p.lineage_key = want.lineage_key`,
      [unique.map((p) => p.documentId), unique.map((p) => p.lineageKey)],
    );
    return rows.map((r) => ({
      documentId: r.document_id,
      lineageKey: r.lineage_key,
      paragraphId: r.id,
      versionNumber: r.number,
    }));
  }

  /** The paragraphs of one version, by lineage (what a newly published revision carries). */
  async lineagesOfVersion(
    versionId: string,
    tx: Tx = this.ds.manager,
  ): Promise<{ lineageKey: string; paragraphId: string }[]> {
    const rows: { lineage_key: string; id: string }[] = await tx.query(
      `SELECT lineage_key, id FROM paragraphs WHERE version_id = $1`,
      [versionId],
    );
    return rows.map((r) => ({ lineageKey: r.lineage_key, paragraphId: r.id }));
  }
}
