import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ConsultationEntity } from '@plenary/consultations';

@Entity('documents')
export class DocumentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Index('ix_documents_consultation')
  @Column({ name: 'consultation_id', type: 'uuid' })
  consultationId: string;

  @ManyToOne(() => ConsultationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'consultation_id', foreignKeyConstraintName: 'fk_documents_consultation' })
  consultation?: ConsultationEntity;

  @Column({ type: 'varchar', length: 300 }) title: string;
  @Column({ name: 'current_version', type: 'int', default: 1 }) currentVersion: number;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** Immutable once written (a trigger refuses UPDATE and DELETE): v1 is the zero draft, then rev.1, rev.2 ... */
@Entity('document_versions')
@Index('uq_document_versions_number', ['documentId', 'number'], { unique: true })
export class DocumentVersionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'document_id', type: 'uuid' }) documentId: string;
  @ManyToOne(() => DocumentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'document_id', foreignKeyConstraintName: 'fk_versions_document' })
  document?: DocumentEntity;
  @Column({ type: 'int' }) number: number;
  @Column({ type: 'varchar', length: 300 }) title: string;
  @Column({ name: 'front_matter', type: 'jsonb', default: () => "'[]'" }) frontMatter: string[];
  /** Running notes such as a disclaimer repeated through the draft, kept once. */
  @Column({ type: 'jsonb', default: () => "'[]'" }) notes: string[];
  /** The chair's note on this revision ("rev.1 after the first round"). */
  @Column({ name: 'revision_note', type: 'text', default: '' }) revisionNote: string;
  @Column({ name: 'source_format', type: 'varchar', length: 16 }) sourceFormat: string;
  @Column({ name: 'import_report', type: 'jsonb' }) importReport: Record<string, unknown>;
  @Column({ name: 'published_by', type: 'uuid' }) publishedBy: string;
  @CreateDateColumn({ name: 'published_at', type: 'timestamptz' }) publishedAt: Date;
}

@Entity('sections')
@Index('ix_sections_version', ['versionId', 'position'])
export class SectionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'version_id', type: 'uuid' }) versionId: string;
  @ManyToOne(() => DocumentVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'fk_sections_version' })
  version?: DocumentVersionEntity;
  @Column({ type: 'int' }) position: number;
  @Column({ type: 'text', nullable: true }) heading: string | null;
}

@Entity('paragraphs')
@Index('ix_paragraphs_version', ['versionId', 'position'])
export class ParagraphEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'version_id', type: 'uuid' }) versionId: string;
  @ManyToOne(() => DocumentVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'fk_paragraphs_version' })
  version?: DocumentVersionEntity;
  @Column({ name: 'section_id', type: 'uuid' }) sectionId: string;
  @ManyToOne(() => SectionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'section_id', foreignKeyConstraintName: 'fk_paragraphs_section' })
  section?: SectionEntity;
  /** Order within the version (all sections). */
  @Column({ type: 'int' }) position: number;
  /** As printed: '15', '65 (a)', 'PP3'. */
  @Column({ type: 'varchar', length: 40 }) label: string;
  @Column({ type: 'varchar', length: 16 }) kind: string;
  @Column({ type: 'text' }) text: string;
  @Column({ type: 'jsonb', default: () => "'[]'" }) footnotes: { marker: string; text: string }[];
  /** Shared by the same paragraph across versions. */
  @Index('ix_paragraphs_lineage')
  @Column({ name: 'lineage_key', type: 'uuid' })
  lineageKey: string;
}
