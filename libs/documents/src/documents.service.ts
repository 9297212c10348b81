import { Injectable } from '@nestjs/common';
import { AuditLog, Principal } from '@plenary/accounts';
import { ConsultationAccess, EventOutbox } from '@plenary/consultations';
import type { CommittedEvent } from '@plenary/core';
import type { Tx } from '@plenary/database';
import { diffVersions, DiffParagraph } from './diff/diff-versions';
import { trackedChangesDocx } from './diff/tracked-changes';
import type { DocumentEntity, DocumentVersionEntity } from './document.entity';
import { DocumentErrors } from './documents.errors';
import { DocumentsRepository, NewVersion } from './documents.repository';
import { DocumentReadExtensions } from './read-extensions';
import { ImportDocumentDto, PublishVersionDto } from './dto/document.dto';
import {
  DiffResponse,
  DocumentResponse,
  DocumentSummaryResponse,
  ImportResponse,
  mapDocument,
  RevisionPreviewResponse,
  versionName,
} from './dto/document.response';
import { DraftReader } from './import/draft-reader';
import { importReport, ParsedDraft } from './import/parse-draft';
import { assignLineage } from './lineage/lineage';
import { randomUUID } from 'node:crypto';

/** Length of a document's title (documents.title and document_versions.title are varchar(300)). */
const TITLE_MAX = 300;

type EditedParagraph = ParsedDraft['sections'][number]['paragraphs'][number] & {
  sourceKey: string;
  sourceText: string;
};

@Injectable()
export class DocumentsService {
  constructor(
    private readonly repo: DocumentsRepository,
    private readonly access: ConsultationAccess,
    private readonly extensions: DocumentReadExtensions,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditLog,
    private readonly reader: DraftReader,
  ) {}

  /**
   * Reads a draft in any accepted format (in a worker, within the limits of DraftReader); refuses an empty,
   * unreadable or oversized one with a 4xx. Only after the caller has been authorised: reading is the costly part.
   */
  async parse(format: ImportDocumentDto['format'], content: string): Promise<ParsedDraft> {
    const parsed = await this.reader.read(format, content);
    if (!parsed.sections.some((s) => s.paragraphs.length)) throw DocumentErrors.emptyImport();
    // A title is at most TITLE_MAX characters (a column limit): a longer first heading used to fail with a 500.
    if (parsed.title && parsed.title.length > TITLE_MAX) {
      parsed.title = `${parsed.title.slice(0, TITLE_MAX - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
      parsed.report.warnings.push(`The title was longer than ${TITLE_MAX} characters and was shortened.`);
    }
    return parsed;
  }

  /** A chair imports a draft: the document and its version 1 (the zero draft). */
  async import(consultationId: string, p: Principal, dto: ImportDocumentDto): Promise<ImportResponse> {
    // Authorise before reading a byte of the draft (issue 14): anyone signed in could otherwise make us parse.
    await this.access.requireChair(consultationId, p);
    const parsed = await this.parse(dto.format, dto.content);
    return this.repo.transaction(async (tx) => {
      // Again inside the transaction: the chair's role may have been withdrawn while the draft was read.
      await this.access.requireChair(consultationId, p, tx);
      const title = dto.title ?? parsed.title ?? 'Untitled draft';
      const doc = await this.repo.insertDocument({ consultationId, title, createdBy: p.id, currentVersion: 1 }, tx);
      await this.audit.record(tx, [
        {
          consultationId,
          actor: p,
          action: 'document.imported',
          subjectType: 'document',
          subjectId: doc.id,
          after: { title, format: dto.format, ...parsed.report },
        },
      ]);
      const version = await this.repo.insertVersion(
        this.versionRow(doc.id, 1, title, parsed, dto.format, p.id, '', () => randomUUID()),
        tx,
      );
      return { document: await this.read(doc, version, tx), importReport: { ...parsed.report } };
    });
  }

  async list(consultationId: string, p: Principal | undefined): Promise<DocumentSummaryResponse[]> {
    await this.access.readable(consultationId, p);
    const docs = await this.repo.listDocuments(consultationId);
    return docs.map((d) => ({
      id: d.id,
      title: d.title,
      currentVersion: d.currentVersion,
      versionName: versionName(d.currentVersion),
      createdAt: d.createdAt.toISOString(),
    }));
  }

  async get(documentId: string, p: Principal | undefined, number?: number): Promise<DocumentResponse> {
    const doc = await this.readableDocument(documentId, p);
    const version = await this.repo.findVersion(doc.id, number ?? doc.currentVersion);
    if (!version) throw DocumentErrors.versionNotFound(number ?? doc.currentVersion);
    return this.read(doc, version);
  }

  /**
   * A chair publishes the next version, from full text or from edits to paragraphs of the current one.
   * Each paragraph gets the lineage key of the one it continues (guessed, then corrected by the chair).
   */
  async publish(documentId: string, p: Principal, dto: PublishVersionDto): Promise<ImportResponse> {
    return (await this.revise(documentId, p, dto, false)) as ImportResponse;
  }

  /** What publishing would do (the lineage the server would assign), so the chair can correct it first. Writes nothing. */
  async preview(documentId: string, p: Principal, dto: PublishVersionDto): Promise<RevisionPreviewResponse> {
    return (await this.revise(documentId, p, dto, true)) as RevisionPreviewResponse;
  }

  private async revise(
    documentId: string,
    p: Principal,
    dto: PublishVersionDto,
    preview: boolean,
  ): Promise<ImportResponse | RevisionPreviewResponse> {
    const parsedFull = dto.edits === undefined ? await this.parseAsChair(documentId, p, dto) : null;
    let events: CommittedEvent[] = [];
    const published = await this.repo.transaction(async (tx) => {
      const doc = await this.repo.lockDocument(documentId, tx);
      if (!doc) throw DocumentErrors.notFound(documentId);
      await this.access.requireChair(doc.consultationId, p, tx);
      const current = (await this.repo.findVersion(doc.id, doc.currentVersion, tx))!;
      const prev = await this.repo.versionContent(current.id, tx);
      const parsed = parsedFull ?? this.applyEdits(current, prev, dto.edits!);
      const next = parsed.sections.flatMap((s) => s.paragraphs);
      const corrections = new Map((dto.lineage ?? []).map((c) => [c.label, c.lineageKey]));
      const prevKeys = new Set(prev.paragraphs.map((x) => x.lineageKey));
      for (const [label, key] of corrections) if (key && !prevKeys.has(key)) throw DocumentErrors.badCorrection(label);
      // Edited paragraphs are known, not guessed: each keeps the key of the paragraph it was edited from.
      const lineage = parsedFull
        ? assignLineage(prev.paragraphs, next, corrections)
        : next.map((x) =>
            corrections.has(x.label)
              ? { lineageKey: corrections.get(x.label) ?? randomUUID(), match: 'corrected' as const }
              : {
                  lineageKey: (x as EditedParagraph).sourceKey,
                  match: x.text === (x as EditedParagraph).sourceText ? ('same' as const) : ('edited' as const),
                },
          );
      const previous = new Map(prev.paragraphs.map((x) => [x.lineageKey, { label: x.label, text: x.text }]));
      const lineageReport = next.map((x, k) => ({
        label: x.label,
        text: x.text,
        lineageKey: lineage[k].lineageKey,
        match: lineage[k].match,
        previous: previous.get(lineage[k].lineageKey) ?? null,
      }));
      if (preview) {
        const kept = new Set(lineage.map((l) => l.lineageKey));
        return {
          preview: true as const,
          importReport: { ...parsed.report },
          lineage: lineageReport,
          previousParagraphs: prev.paragraphs.map((x) => ({
            label: x.label,
            lineageKey: x.lineageKey,
            text: x.text,
            carried: kept.has(x.lineageKey),
          })),
        };
      }
      let i = 0;
      const number = doc.currentVersion + 1;
      const row = this.versionRow(
        doc.id,
        number,
        parsed.title ?? current.title,
        parsed,
        dto.format ?? 'edits',
        p.id,
        dto.note ?? '',
        () => lineage[i++].lineageKey,
      );
      const version = await this.repo.insertVersion(row, tx);
      await this.repo.setCurrentVersion(doc.id, number, tx);
      doc.currentVersion = number;
      await this.audit.record(tx, [
        {
          consultationId: doc.consultationId,
          actor: p,
          action: 'version.published',
          subjectType: 'document',
          subjectId: doc.id,
          reason: dto.note ?? '',
          before: { version: number - 1 },
          after: { version: number, versionName: versionName(number), paragraphs: next.length },
        },
      ]);
      events = await this.outbox.append(tx, doc.consultationId, [
        {
          type: 'version.published',
          audience: 'public',
          data: {
            documentId: doc.id,
            versionId: version.id,
            version: number,
            versionName: versionName(number),
            note: dto.note ?? '',
            publishedBy: { id: p.id, name: p.displayName },
          },
        },
      ]);
      return {
        document: await this.read(doc, version, tx),
        importReport: { ...parsed.report },
        lineage: lineageReport,
      };
    });
    if ('preview' in published) return published;
    this.outbox.announce(events);
    // Read again after commit, so the new version shows the contributions its paragraphs inherit.
    return { ...published, document: await this.get(documentId, p, published.document.version) };
  }

  /** A revision's full text, read only once the caller is known to chair the document's consultation (issue 14). */
  private async parseAsChair(documentId: string, p: Principal, dto: PublishVersionDto): Promise<ParsedDraft> {
    const doc = await this.repo.findDocument(documentId);
    if (!doc) throw DocumentErrors.notFound(documentId);
    await this.access.requireChair(doc.consultationId, p);
    return this.parse(dto.format!, dto.content!);
  }

  async diff(documentId: string, p: Principal | undefined, from: number, to: number): Promise<DiffResponse> {
    const doc = await this.readableDocument(documentId, p);
    const [a, b] = await Promise.all([this.diffInput(doc, from), this.diffInput(doc, to)]);
    const paragraphs = diffVersions(a, b);
    const summary: Record<string, number> = { unchanged: 0, changed: 0, new: 0, deleted: 0, moved: 0, renumbered: 0 };
    for (const d of paragraphs) summary[d.status] += 1;
    return { documentId, from, to, summary, paragraphs };
  }

  /** The diff as a Word file of the `to` version with tracked changes, citing the contributions accepted into it. */
  async diffDocx(
    documentId: string,
    p: Principal | undefined,
    from: number,
    to: number,
  ): Promise<{ buffer: Buffer; filename: string }> {
    const doc = await this.readableDocument(documentId, p);
    const [a, b] = await Promise.all([this.diffInput(doc, from), this.diffInput(doc, to)]);
    const toVersion = (await this.repo.findVersion(doc.id, to))!;
    const texts = new Map([...a, ...b].map((x) => [x.id, x.text]));
    const buffer = await trackedChangesDocx({
      title: toVersion.title,
      fromName: versionName(from),
      toName: versionName(to),
      author: 'Secretariat',
      date: toVersion.publishedAt,
      diff: diffVersions(a, b),
      texts,
      citations: await this.extensions.citationsFor(doc.id),
    });
    return {
      buffer,
      filename: `${toVersion.title.replace(/[^\w.-]+/g, '-').slice(0, 60)}-${versionName(to).replace(/\W+/g, '')}-tracked.docx`,
    };
  }

  /** The document if the caller may read its consultation (drafts: members and admins only). */
  async readableDocument(documentId: string, p: Principal | undefined, tx?: Tx): Promise<DocumentEntity> {
    const doc = await this.repo.findDocument(documentId, tx);
    if (!doc) throw DocumentErrors.notFound(documentId);
    await this.access.readable(doc.consultationId, p, tx).catch(() => {
      throw DocumentErrors.notFound(documentId);
    });
    return doc;
  }

  private async diffInput(doc: DocumentEntity, n: number): Promise<DiffParagraph[]> {
    const v = await this.repo.findVersion(doc.id, n);
    if (!v) throw DocumentErrors.versionNotFound(n);
    const { sections, paragraphs } = await this.repo.versionContent(v.id);
    const heading = new Map(sections.map((s) => [s.id, s.heading]));
    return paragraphs.map((x) => ({
      id: x.id,
      label: x.label,
      text: x.text,
      lineageKey: x.lineageKey,
      sectionHeading: heading.get(x.sectionId) ?? null,
    }));
  }

  /** The version's text with per-paragraph counts. Inside a transaction (import, publish) counts are left at zero. */
  private async read(doc: DocumentEntity, version: DocumentVersionEntity, tx?: Tx): Promise<DocumentResponse> {
    const [versions, content, counts] = await Promise.all([
      this.repo.listVersions(doc.id, tx),
      this.repo.versionContent(version.id, tx),
      tx ? Promise.resolve(undefined) : this.extensions.countsFor(doc.id),
    ]);
    return mapDocument(doc, version, versions, content, counts);
  }

  private applyEdits(
    current: DocumentVersionEntity,
    prev: Awaited<ReturnType<DocumentsRepository['versionContent']>>,
    edits: NonNullable<PublishVersionDto['edits']>,
  ): ParsedDraft {
    const byId = new Map(edits.map((e) => [e.paragraphId, e]));
    const known = new Set(prev.paragraphs.map((x) => x.id));
    for (const e of edits) if (!known.has(e.paragraphId)) throw DocumentErrors.paragraphNotFound(e.paragraphId);
    const sections = prev.sections.map((s) => ({
      heading: s.heading,
      paragraphs: prev.paragraphs
        .filter((x) => x.sectionId === s.id && !byId.get(x.id)?.delete)
        .map((x) => ({
          label: x.label,
          kind: x.kind as ParsedDraft['sections'][number]['paragraphs'][number]['kind'],
          text: byId.get(x.id)?.text ?? x.text,
          footnotes: x.footnotes,
          sourceKey: x.lineageKey,
          sourceText: x.text,
        })),
    }));
    return {
      title: current.title,
      frontMatter: current.frontMatter,
      notes: current.notes,
      sections,
      report: importReport(
        sections,
        sections.reduce((n, x) => n + x.paragraphs.reduce((m, y) => m + y.footnotes.length, 0), 0),
        current.notes.length,
        [],
      ),
    };
  }

  private versionRow(
    documentId: string,
    number: number,
    title: string,
    parsed: ParsedDraft,
    format: string,
    by: string,
    note: string,
    key: () => string,
  ): NewVersion {
    return {
      documentId,
      number,
      title,
      frontMatter: parsed.frontMatter,
      notes: parsed.notes,
      revisionNote: note,
      sourceFormat: format,
      importReport: { ...parsed.report },
      publishedBy: by,
      sections: parsed.sections.map((s) => ({
        heading: s.heading,
        paragraphs: s.paragraphs.map((x) => ({
          label: x.label,
          kind: x.kind,
          text: x.text,
          footnotes: x.footnotes,
          lineageKey: key(),
        })),
      })),
    };
  }
}
