import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ConsultationEntity } from './consultation.entity';

const bigintNumber = { to: (v: number) => v, from: (v: string) => Number(v) };

/**
 * The outbox: every change others should see, written in the same transaction as the change, numbered per
 * consultation without gaps in commit order. Append-only (the database refuses UPDATE and DELETE).
 */
@Entity('events')
@Index('ix_events_subject', ['consultationId', 'subjectUserId', 'seq'])
export class ConsultationEventEntity {
  @PrimaryColumn({ name: 'consultation_id', type: 'uuid' }) consultationId: string;
  @ManyToOne(() => ConsultationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'consultation_id', foreignKeyConstraintName: 'fk_events_consultation' })
  consultation?: ConsultationEntity;
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber }) seq: number;
  @Column({ type: 'varchar', length: 48 }) type: string;
  /** public | moderators */
  @Column({ type: 'varchar', length: 16 }) audience: string;
  @Column({ name: 'subject_user_id', type: 'uuid', nullable: true }) subjectUserId: string | null;
  @Column({ name: 'prev_public_seq', type: 'bigint', transformer: bigintNumber }) prevPublicSeq: number;
  @Column({ type: 'jsonb' }) data: Record<string, unknown>;
  @CreateDateColumn({ name: 'at', type: 'timestamptz' }) at: Date;
}

/** The last event number of each consultation (and of its public events): the lock that keeps numbers gapless. */
@Entity('event_counters')
export class EventCounterEntity {
  @PrimaryColumn({ name: 'consultation_id', type: 'uuid' }) consultationId: string;
  @Column({ type: 'bigint', transformer: bigintNumber }) last: number;
  @Column({ name: 'last_public', type: 'bigint', transformer: bigintNumber }) lastPublic: number;
  /** last_public before the most recent event: the chain link of that event. */
  @Column({ name: 'prev_public', type: 'bigint', transformer: bigintNumber }) prevPublic: number;
}
