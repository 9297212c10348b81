import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An immutable report: its inputs, the data as it was, and a hash to cite. Append-only in the database. */
@Entity('reports')
@Index('ix_reports_consultation', ['consultationId', 'createdAt'])
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'consultation_id', type: 'uuid' }) consultationId: string;
  @Column({ name: 'round_id', type: 'uuid', nullable: true }) roundId: string | null;
  /** `json`, not `jsonb`: stored exactly as written, so the hash can be checked against the stored text. */
  @Column({ type: 'json' }) inputs: Record<string, unknown>;
  @Column({ type: 'json' }) data: Record<string, unknown>;
  /** sha256 (hex) of JSON.stringify(inputs) + "\n" + JSON.stringify(data). */
  @Column({ name: 'content_hash', type: 'char', length: 64 }) contentHash: string;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
