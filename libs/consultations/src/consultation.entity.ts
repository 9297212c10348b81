import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '@plenary/accounts';

@Entity('consultations')
export class ConsultationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  /** Short code used in tracking numbers (C11-R1-000042); unique. */
  @Index('uq_consultations_code', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  code: string;

  @Column({ type: 'varchar', length: 300 }) title: string;
  @Column({ type: 'text', default: '' }) description: string;
  @Column({ name: 'moderation_policy', type: 'varchar', length: 8 }) moderationPolicy: string;

  @Index('ix_consultations_status')
  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status: string;

  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_consultations_created_by' })
  creator?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** A role inside one consultation. Removing a member sets revoked_at; the row stays in the record. */
@Entity('consultation_members')
@Index('ix_consultation_members_lookup', ['consultationId', 'userId'])
export class ConsultationMemberEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'consultation_id', type: 'uuid' }) consultationId: string;
  @ManyToOne(() => ConsultationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'consultation_id', foreignKeyConstraintName: 'fk_members_consultation' })
  consultation?: ConsultationEntity;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_members_user' })
  user?: UserEntity;
  @Column({ type: 'varchar', length: 16 }) role: string;
  @Column({ name: 'added_by', type: 'uuid' }) addedBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
