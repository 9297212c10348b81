import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The record of what was decided: who, what, when, why, before and after. Append-only: the database refuses
 * UPDATE and DELETE. `consultation_id` is null for platform-wide changes (an account's roles or suspension).
 */
@Entity('audit_entries')
@Index('ix_audit_consultation', ['consultationId', 'at'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'consultation_id', type: 'uuid', nullable: true }) consultationId: string | null;
  @Column({ name: 'actor_id', type: 'uuid' }) actorId: string;
  @Column({ name: 'actor_name', type: 'varchar', length: 120 }) actorName: string;
  /** e.g. decision.approve, flag.upheld, member.removed, round.extended, version.published, disposition.set */
  @Column({ type: 'varchar', length: 48 }) action: string;
  @Column({ name: 'subject_type', type: 'varchar', length: 24 }) subjectType: string;
  @Column({ name: 'subject_id', type: 'varchar', length: 64 }) subjectId: string;
  @Column({ type: 'text', default: '' }) reason: string;
  @Column({ type: 'jsonb', nullable: true }) before: Record<string, unknown> | null;
  @Column({ type: 'jsonb', nullable: true }) after: Record<string, unknown> | null;
  @CreateDateColumn({ type: 'timestamptz' }) at: Date;
}
