import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ConsultationEntity } from '@plenary/consultations';
import { DocumentEntity, DocumentVersionEntity } from '../document.entity';

/**
 * A window for comment on one document version. Open or closed is computed from the server clock;
 * it lives with documents because a round is a window on a version.
 */
@Entity('rounds')
@Index('uq_rounds_number', ['consultationId', 'number'], { unique: true })
@Index('ix_rounds_document', ['documentId', 'opensAt'])
export class RoundEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'consultation_id', type: 'uuid' }) consultationId: string;
  @ManyToOne(() => ConsultationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'consultation_id', foreignKeyConstraintName: 'fk_rounds_consultation' })
  consultation?: ConsultationEntity;
  @Column({ name: 'document_id', type: 'uuid' }) documentId: string;
  @ManyToOne(() => DocumentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'document_id', foreignKeyConstraintName: 'fk_rounds_document' })
  document?: DocumentEntity;
  @Column({ name: 'version_id', type: 'uuid' }) versionId: string;
  @ManyToOne(() => DocumentVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'fk_rounds_version' })
  version?: DocumentVersionEntity;
  /** R1, R2 ... within the consultation (used in tracking numbers). */
  @Column({ type: 'int' }) number: number;
  @Column({ name: 'opens_at', type: 'timestamptz' }) opensAt: Date;
  @Column({ name: 'closes_at', type: 'timestamptz' }) closesAt: Date;
  @Column({ name: 'closed_early_at', type: 'timestamptz', nullable: true }) closedEarlyAt: Date | null;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** Append-only history of a round: created, extended, closed early; who and when. */
@Entity('round_changes')
@Index('ix_round_changes_round', ['roundId', 'at'])
export class RoundChangeEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'round_id', type: 'uuid' }) roundId: string;
  @ManyToOne(() => RoundEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'round_id', foreignKeyConstraintName: 'fk_round_changes_round' })
  round?: RoundEntity;
  @Column({ type: 'varchar', length: 16 }) action: string;
  @Column({ name: 'actor_id', type: 'uuid' }) actorId: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ type: 'jsonb', nullable: true }) before: Record<string, unknown> | null;
  @Column({ type: 'jsonb' }) after: Record<string, unknown>;
  @Column({ type: 'text', default: '' }) reason: string;
}
