import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '@plenary/accounts';
import { ConsultationEntity } from '@plenary/consultations';
import { DocumentEntity, DocumentVersionEntity, ParagraphEntity, RoundEntity, type WordOp } from '@plenary/documents';

export const CONTRIBUTION_KINDS = ['comment', 'amendment', 'reply'] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];
export const CONTRIBUTION_STATUSES = ['pending', 'published', 'rejected', 'hidden', 'withdrawn'] as const;
export type ContributionStatus = (typeof CONTRIBUTION_STATUSES)[number];

/** The text search configuration: English stemming, since the drafts are in English. */
export const SEARCH_CONFIG = 'english';
/**
 * What full-text search matches, as an expression: a GIN index on exactly this expression (created in the
 * migration; the text is repeated there) serves `q`.
 */
export const SEARCH_VECTOR = `to_tsvector('english', body || ' ' || coalesce(proposed_text, '') || ' ' || coalesce(on_behalf_of, '') || ' ' || author_organisation)`;

const bigintNumber = { to: (v: number) => v, from: (v: string) => Number(v) };

/**
 * A comment, amendment or reply. Rows are never deleted: withdrawal and moderation change `status`,
 * edits move the previous text to contribution_revisions. The author's profile is copied at submission.
 */
@Entity('contributions')
@Index('ix_contributions_listing', ['consultationId', 'tx', 'seq'])
@Index('ix_contributions_lineage', ['documentId', 'lineageKey', 'seq'])
@Index('ix_contributions_author', ['authorId', 'tx', 'seq'])
@Index('ix_contributions_status', ['consultationId', 'status', 'tx', 'seq'])
@Index('ix_contributions_parent', ['parentId'])
@Index('ix_contributions_thread_root', ['threadRootId', 'seq'])
@Index('ix_contributions_search', { synchronize: false })
export class ContributionEntity {
  @PrimaryColumn('uuid') id: string;

  /** Order of arrival: from one sequence (contribution_seq), so submissions never wait for each other. */
  @Index('uq_contributions_seq', { unique: true })
  @Column({ type: 'bigint', transformer: bigintNumber })
  seq: number;

  /**
   * The inserting transaction's id. Listings page in (tx, seq) order over rows whose transaction is older than
   * every transaction still running, so a row can never appear behind a cursor already handed out.
   */
  @Column({ type: 'bigint', transformer: bigintNumber })
  tx: number;

  @Index('uq_contributions_tracking', { unique: true })
  @Column({ name: 'tracking_number', type: 'varchar', length: 40 })
  trackingNumber: string;

  @Column({ name: 'consultation_id', type: 'uuid' }) consultationId: string;
  @ManyToOne(() => ConsultationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'consultation_id', foreignKeyConstraintName: 'fk_contributions_consultation' })
  consultation?: ConsultationEntity;

  @Column({ name: 'round_id', type: 'uuid' }) roundId: string;
  @ManyToOne(() => RoundEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'round_id', foreignKeyConstraintName: 'fk_contributions_round' })
  round?: RoundEntity;
  @Column({ name: 'round_number', type: 'int' }) roundNumber: number;

  @Column({ name: 'document_id', type: 'uuid' }) documentId: string;
  @ManyToOne(() => DocumentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'document_id', foreignKeyConstraintName: 'fk_contributions_document' })
  document?: DocumentEntity;

  @Column({ name: 'version_id', type: 'uuid' }) versionId: string;
  @ManyToOne(() => DocumentVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'fk_contributions_version' })
  version?: DocumentVersionEntity;
  @Column({ name: 'version_number', type: 'int' }) versionNumber: number;

  /** Null for a general comment on the whole document. */
  @Column({ name: 'paragraph_id', type: 'uuid', nullable: true }) paragraphId: string | null;
  @ManyToOne(() => ParagraphEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'paragraph_id', foreignKeyConstraintName: 'fk_contributions_paragraph' })
  paragraph?: ParagraphEntity;
  @Column({ name: 'paragraph_label', type: 'varchar', length: 40, nullable: true }) paragraphLabel: string | null;
  /** The paragraph's lineage: later versions of the same paragraph show this contribution too. */
  @Column({ name: 'lineage_key', type: 'uuid', nullable: true }) lineageKey: string | null;

  @Column({ type: 'varchar', length: 16 }) kind: string;
  @Column({ name: 'parent_id', type: 'uuid', nullable: true }) parentId: string | null;
  @ManyToOne(() => ContributionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_contributions_parent' })
  parent?: ContributionEntity;
  @Column({ name: 'thread_root_id', type: 'uuid', nullable: true }) threadRootId: string | null;
  @Column({ type: 'int', default: 0 }) depth: number;

  @Column({ type: 'varchar', length: 16 }) status: string;
  @Column({ type: 'text' }) body: string;
  @Column({ name: 'proposed_text', type: 'text', nullable: true }) proposedText: string | null;
  /** Amendments: word diff of proposedText against the paragraph, computed once at submission and at each edit. */
  @Column({ type: 'jsonb', nullable: true }) diff: WordOp[] | null;
  @Column({ name: 'on_behalf_of', type: 'varchar', length: 200, nullable: true }) onBehalfOf: string | null;
  /** sha256 (hex) of the submitted content; see docs/contributions.md for the exact input. */
  @Column({ name: 'content_hash', type: 'char', length: 64 }) contentHash: string;

  @Column({ name: 'author_id', type: 'uuid' }) authorId: string;
  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'fk_contributions_author' })
  author?: UserEntity;
  @Column({ name: 'author_name', type: 'varchar', length: 120 }) authorName: string;
  @Column({ name: 'author_group', type: 'varchar', length: 32 }) authorGroup: string;
  @Column({ name: 'author_organisation', type: 'varchar', length: 200 }) authorOrganisation: string;
  @Column({ name: 'author_country', type: 'char', length: 2 }) authorCountry: string;
  @Column({ name: 'author_region', type: 'varchar', length: 32 }) authorRegion: string;
  @Column({ name: 'author_capacity', type: 'varchar', length: 16 }) authorCapacity: string;
  @Column({ name: 'author_verified', type: 'boolean' }) authorVerified: boolean;

  @Column({ name: 'submitted_at', type: 'timestamptz' }) submittedAt: Date;
  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true }) editedAt: Date | null;
  @Column({ name: 'edit_count', type: 'int', default: 0 }) editCount: number;
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true }) withdrawnAt: Date | null;
  /** The latest moderation decision's reason code and note (history: moderation_decisions). */
  @Column({ name: 'moderation_reason', type: 'varchar', length: 32, nullable: true }) moderationReason: string | null;
  @Column({ name: 'moderation_note', type: 'text', nullable: true }) moderationNote: string | null;
  @Column({ name: 'moderated_at', type: 'timestamptz', nullable: true }) moderatedAt: Date | null;
  /** A published contribution back in the moderation queue: 'flagged', or 'urgent' (falsely attributed). */
  @Column({ type: 'varchar', length: 16, nullable: true }) review: string | null;
  @Column({ name: 'flag_count', type: 'int', default: 0 }) flagCount: number;
  /** The secretariat's current answer (history: dispositions). */
  @Column({ type: 'varchar', length: 24, nullable: true }) disposition: string | null;
  @Column({ name: 'disposition_response', type: 'text', nullable: true }) dispositionResponse: string | null;
  @Column({ name: 'disposed_at', type: 'timestamptz', nullable: true }) disposedAt: Date | null;
  /** The paragraph of a later version that carries what was accepted. */
  @Column({ name: 'resulting_paragraph_id', type: 'uuid', nullable: true }) resultingParagraphId: string | null;
  /** Active endorsements, kept with the row so lists need no count query. */
  @Column({ name: 'endorsement_count', type: 'int', default: 0 }) endorsementCount: number;
}

/** The text of a contribution before each edit. Append-only (a trigger refuses UPDATE and DELETE). */
@Entity('contribution_revisions')
@Index('uq_contribution_revisions', ['contributionId', 'revision'], { unique: true })
export class ContributionRevisionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'contribution_id', type: 'uuid' }) contributionId: string;
  @ManyToOne(() => ContributionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contribution_id', foreignKeyConstraintName: 'fk_revisions_contribution' })
  contribution?: ContributionEntity;
  /** 1 is the text as first submitted. */
  @Column({ type: 'int' }) revision: number;
  @Column({ type: 'text' }) body: string;
  @Column({ name: 'proposed_text', type: 'text', nullable: true }) proposedText: string | null;
  @Column({ name: 'on_behalf_of', type: 'varchar', length: 200, nullable: true }) onBehalfOf: string | null;
  @Column({ name: 'content_hash', type: 'char', length: 64 }) contentHash: string;
  @Column({ type: 'varchar', length: 16 }) status: string;
  /** When this text was written (submission or the previous edit). */
  @Column({ name: 'written_at', type: 'timestamptz' }) writtenAt: Date;
  /** When it was replaced. */
  @Column({ name: 'replaced_at', type: 'timestamptz' }) replacedAt: Date;
}

/** A co-signature. Withdrawing sets withdrawn_at; one active endorsement per user and contribution. */
@Entity('endorsements')
@Index('uq_endorsements_active', ['contributionId', 'userId'], { unique: true, where: 'withdrawn_at IS NULL' })
@Index('ix_endorsements_user', ['userId'])
export class EndorsementEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'contribution_id', type: 'uuid' }) contributionId: string;
  @ManyToOne(() => ContributionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contribution_id', foreignKeyConstraintName: 'fk_endorsements_contribution' })
  contribution?: ContributionEntity;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_endorsements_user' })
  user?: UserEntity;
  @Column({ name: 'user_group', type: 'varchar', length: 32 }) userGroup: string;
  @Column({ name: 'user_region', type: 'varchar', length: 32 }) userRegion: string;
  @Column({ name: 'user_country', type: 'char', length: 2 }) userCountry: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true }) withdrawnAt: Date | null;
}

/** Idempotency-Key of a submission: the first result is returned for 24 hours to retries with the same body. */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @PrimaryColumn({ type: 'varchar', length: 200 }) key: string;
  @Column({ name: 'request_hash', type: 'char', length: 64 }) requestHash: string;
  @Column({ name: 'contribution_id', type: 'uuid' }) contributionId: string;
  @Index('ix_idempotency_keys_created')
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** The lineage key under which a document's general comments (no paragraph) are counted. */
export const GENERAL_LINEAGE = '00000000-0000-0000-0000-000000000000';

/**
 * Published contributions per paragraph lineage of a document, kept by a trigger on contributions in the same
 * transaction as every change (so the document view reads one row per paragraph however many contributions there
 * are). Never written by the application.
 */
@Entity('paragraph_counts')
export class ParagraphCountEntity {
  @PrimaryColumn({ name: 'document_id', type: 'uuid' }) documentId: string;
  @PrimaryColumn({ name: 'lineage_key', type: 'uuid' }) lineageKey: string;
  @Column({ type: 'integer', default: 0 }) published: number;
  @Column({ type: 'integer', default: 0 }) amendments: number;
  @Column({ type: 'integer', default: 0 }) endorsements: number;
}
