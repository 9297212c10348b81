import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '@plenary/database';
import { DocumentEntity, DocumentVersionEntity, ParagraphEntity, SectionEntity } from './document.entity';

export interface NewVersion {
  documentId: string;
  number: number;
  title: string;
  frontMatter: string[];
  notes: string[];
  revisionNote: string;
  sourceFormat: string;
  importReport: Record<string, unknown>;
  publishedBy: string;
  sections: {
    heading: string | null;
    paragraphs: Pick<ParagraphEntity, 'label' | 'kind' | 'text' | 'footnotes' | 'lineageKey'>[];
  }[];
}

const INSERT_CHUNK = 500;

@Injectable()
export class DocumentsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  findDocument(id: string, tx: Tx = this.ds.manager): Promise<DocumentEntity | null> {
    return tx.findOne(DocumentEntity, { where: { id } });
  }

  lockDocument(id: string, tx: Tx): Promise<DocumentEntity | null> {
    return tx.findOne(DocumentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  listDocuments(consultationId: string): Promise<DocumentEntity[]> {
    return this.ds.manager.find(DocumentEntity, { where: { consultationId }, order: { createdAt: 'ASC' } });
  }

  insertDocument(row: Pick<DocumentEntity, 'consultationId' | 'title' | 'createdBy' | 'currentVersion'>, tx: Tx) {
    return tx.save(tx.create(DocumentEntity, row));
  }

  async setCurrentVersion(id: string, n: number, tx: Tx): Promise<void> {
    await tx.update(DocumentEntity, { id }, { currentVersion: n });
  }

  findVersion(documentId: string, number: number, tx: Tx = this.ds.manager): Promise<DocumentVersionEntity | null> {
    return tx.findOne(DocumentVersionEntity, { where: { documentId, number } });
  }

  findVersionById(id: string, tx: Tx = this.ds.manager): Promise<DocumentVersionEntity | null> {
    return tx.findOne(DocumentVersionEntity, { where: { id } });
  }

  listVersions(documentId: string, tx: Tx = this.ds.manager): Promise<DocumentVersionEntity[]> {
    return tx.find(DocumentVersionEntity, { where: { documentId }, order: { number: 'ASC' } });
  }

  /** Writes a version with its sections and paragraphs in a few multi-row inserts. */
  async insertVersion(v: NewVersion, tx: Tx): Promise<DocumentVersionEntity> {
    const { sections, ...head } = v;
    const version = await tx.save(tx.create(DocumentVersionEntity, head));
    const sectionRows = await tx
      .createQueryBuilder()
      .insert()
      .into(SectionEntity)
      .values(sections.map((s, i) => ({ versionId: version.id, position: i, heading: s.heading })))
      .returning(['id'])
      .execute();
    let position = 0;
    const paragraphs = sections.flatMap((s, i) =>
      s.paragraphs.map((p) => ({
        ...p,
        versionId: version.id,
        sectionId: sectionRows.raw[i].id,
        position: position++,
      })),
    );
    for (let i = 0; i < paragraphs.length; i += INSERT_CHUNK) {
      await tx
        .createQueryBuilder()
        .insert()
        .into(ParagraphEntity)
        .values(paragraphs.slice(i, i + INSERT_CHUNK))
        .execute();
    }
    return version;
  }

  /** The whole text of a version: two queries, whatever its length. */
  async versionContent(
    versionId: string,
    tx: Tx = this.ds.manager,
  ): Promise<{ sections: SectionEntity[]; paragraphs: ParagraphEntity[] }> {
    const sections = await tx.find(SectionEntity, { where: { versionId }, order: { position: 'ASC' } });
    const paragraphs = await tx.find(ParagraphEntity, { where: { versionId }, order: { position: 'ASC' } });
    return { sections, paragraphs };
  }

  /** A paragraph with its version and document (to check access and round windows). */
  async findParagraph(
    id: string,
  ): Promise<{ paragraph: ParagraphEntity; version: DocumentVersionEntity; document: DocumentEntity } | null> {
    const paragraph = await this.ds.manager.findOne(ParagraphEntity, { where: { id } });
    if (!paragraph) return null;
    const version = (await this.findVersionById(paragraph.versionId))!;
    const document = (await this.findDocument(version.documentId))!;
    return { paragraph, version, document };
  }
}
