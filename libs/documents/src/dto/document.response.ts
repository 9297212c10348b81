import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DocumentEntity, DocumentVersionEntity, ParagraphEntity, SectionEntity } from '../document.entity';
import type { ParagraphDiff } from '../diff/diff-versions';

export class FootnoteResponse {
  @ApiProperty() marker: string;
  @ApiProperty() text: string;
}

export class ParagraphCountsResponse {
  @ApiProperty({
    description: 'Published contributions on this paragraph, including those made on its earlier versions',
  })
  published: number;
  @ApiProperty({ description: 'Of which proposed wording (amendments)' }) amendments: number;
  @ApiProperty({ description: 'Active endorsements of those contributions' }) endorsements: number;
}

export class ParagraphResponse {
  @ApiProperty() id: string;
  @ApiProperty({ example: '65 (a)' }) label: string;
  @ApiProperty({ enum: ['numbered', 'preamble', 'subitem'] }) kind: string;
  @ApiProperty() lineageKey: string;
  @ApiProperty({ description: 'As written, with Markdown emphasis (**bold**, *italic*)' }) text: string;
  @ApiProperty({ type: [FootnoteResponse] }) footnotes: FootnoteResponse[];
  @ApiProperty({ type: ParagraphCountsResponse }) counts: ParagraphCountsResponse;
}

export class SectionResponse {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true }) heading: string | null;
  @ApiProperty({ type: [ParagraphResponse] }) paragraphs: ParagraphResponse[];
}

export class VersionSummary {
  @ApiProperty() number: number;
  @ApiProperty({ example: 'rev.1' }) name: string;
  @ApiProperty() publishedAt: string;
  @ApiProperty() note: string;
}

export class DocumentSummaryResponse {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() currentVersion: number;
  @ApiProperty({ example: 'rev.1' }) versionName: string;
  @ApiProperty() createdAt: string;
}

export class DocumentResponse {
  @ApiProperty() id: string;
  @ApiProperty() consultationId: string;
  @ApiProperty() title: string;
  @ApiProperty() version: number;
  @ApiProperty({ example: 'zero draft' }) versionName: string;
  @ApiProperty() currentVersion: number;
  @ApiProperty({ type: [String], description: 'Running notes (such as a repeated disclaimer), kept once' })
  notes: string[];
  @ApiProperty({ type: [String], description: 'Title block lines above the title' }) frontMatter: string[];
  @ApiProperty() revisionNote: string;
  @ApiProperty() publishedAt: string;
  @ApiProperty({ type: [VersionSummary] }) versions: VersionSummary[];
  @ApiProperty({ type: [SectionResponse] }) sections: SectionResponse[];
  @ApiProperty({ type: ParagraphCountsResponse, description: 'General comments on the whole document' })
  generalCounts: ParagraphCountsResponse;
}

export class ImportResponse {
  @ApiProperty() document: DocumentResponse;
  @ApiProperty({
    description: 'Counts of sections, numbered and preamble paragraphs, sub-items, footnotes, notes; warnings',
  })
  importReport: Record<string, unknown>;
  @ApiPropertyOptional({
    description:
      'For a revision: how each paragraph was matched to the previous version, and which paragraph it continues',
  })
  lineage?: LineageEntry[];
}

export interface LineageEntry {
  label: string;
  text: string;
  lineageKey: string;
  match: string;
  previous: { label: string; text: string } | null;
}

export class RevisionPreviewResponse {
  @ApiProperty({ enum: [true] }) preview: true;
  @ApiProperty() importReport: Record<string, unknown>;
  @ApiProperty({ description: 'The lineage the server would assign' }) lineage: LineageEntry[];
  @ApiProperty({ description: 'The current version’s paragraphs, and whether each is carried into the new one' })
  previousParagraphs: { label: string; lineageKey: string; text: string; carried: boolean }[];
}

export class DiffResponse {
  @ApiProperty() documentId: string;
  @ApiProperty() from: number;
  @ApiProperty() to: number;
  @ApiProperty() summary: Record<string, number>;
  @ApiProperty() paragraphs: ParagraphDiff[];
}

export const versionName = (n: number) => (n === 1 ? 'zero draft' : `rev.${n - 1}`);

export function mapDocument(
  doc: DocumentEntity,
  version: DocumentVersionEntity,
  versions: DocumentVersionEntity[],
  content: { sections: SectionEntity[]; paragraphs: ParagraphEntity[] },
  counts: Map<string, ParagraphCountsResponse> = new Map(),
): DocumentResponse {
  const zero = { published: 0, amendments: 0, endorsements: 0 };
  const bySection = new Map<string, ParagraphResponse[]>();
  for (const p of content.paragraphs) {
    const list = bySection.get(p.sectionId) ?? [];
    list.push({
      id: p.id,
      label: p.label,
      kind: p.kind,
      lineageKey: p.lineageKey,
      text: p.text,
      footnotes: p.footnotes,
      counts: counts.get(p.lineageKey) ?? zero,
    });
    bySection.set(p.sectionId, list);
  }
  return {
    id: doc.id,
    consultationId: doc.consultationId,
    title: version.title,
    version: version.number,
    versionName: versionName(version.number),
    currentVersion: doc.currentVersion,
    notes: version.notes,
    frontMatter: version.frontMatter,
    revisionNote: version.revisionNote,
    publishedAt: version.publishedAt.toISOString(),
    versions: versions.map((v) => ({
      number: v.number,
      name: versionName(v.number),
      publishedAt: v.publishedAt.toISOString(),
      note: v.revisionNote,
    })),
    sections: content.sections.map((s) => ({ id: s.id, heading: s.heading, paragraphs: bySection.get(s.id) ?? [] })),
    generalCounts: counts.get('') ?? zero,
  };
}
