import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id: string;

  /** Stored lower-cased; unique. */
  @Index('uq_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'password_hash', type: 'text' }) passwordHash: string;
  @Column({ name: 'display_name', type: 'varchar', length: 120 }) displayName: string;
  @Column({ type: 'text', array: true, default: () => "'{participant}'" }) roles: string[];

  @Index('ix_users_group')
  @Column({ name: 'stakeholder_group', type: 'varchar', length: 32 })
  stakeholderGroup: string;

  @Column({ type: 'varchar', length: 200 }) organisation: string;
  @Column({ type: 'char', length: 2 }) country: string;

  @Index('ix_users_region')
  @Column({ type: 'varchar', length: 32 })
  region: string;

  @Column({ type: 'varchar', length: 16 }) capacity: string;
  @Column({ type: 'boolean', default: false }) verified: boolean;
  @Column({ name: 'suspended_at', type: 'timestamptz', nullable: true }) suspendedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
