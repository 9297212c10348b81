import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const DECISION_ACTIONS = ['approve', 'reject', 'hide'] as const;
export const REASON_CODES = ['off_topic', 'abusive', 'spam', 'duplicate', 'personal_data', 'other'] as const;
export const FLAG_REASONS = ['abusive', 'spam', 'off_topic', 'falsely_attributed'] as const;
export const DISPOSITIONS = ['accepted', 'accepted_in_part', 'noted', 'not_accepted', 'out_of_scope'] as const;
/** The dispositions that carry a contribution into the next version (it gets a resulting paragraph). */
export const CARRIED_DISPOSITIONS: readonly string[] = ['accepted', 'accepted_in_part'];

/** Every moderation decision, as taken. Append-only (the database refuses UPDATE and DELETE). */
@Entity('moderation_decisions')
@Index('ix_decisions_contribution', ['contributionId', 'at'])
export class ModerationDecisionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'contribution_id', type: 'uuid' }) contributionId: string;
  @Column({ name: 'consultation_id', type: 'uuid' }) consultationId: string;
  @Column({ type: 'varchar', length: 16 }) action: string;
  @Column({ type: 'varchar', length: 32 }) reason: string;
  @Column({ type: 'text', default: '' }) note: string;
  @Column({ name: 'from_status', type: 'varchar', length: 16 }) fromStatus: string;
  @Column({ name: 'to_status', type: 'varchar', length: 16 }) toStatus: string;
  @Column({ name: 'actor_id', type: 'uuid' }) actorId: string;
  @CreateDateColumn({ type: 'timestamptz' }) at: Date;
}

/** A report by a signed-in user; one per user and contribution. `outcome` is set when a moderator decides. */
@Entity('flags')
@Index('uq_flags_user', ['contributionId', 'userId'], { unique: true })
@Index('ix_flags_consultation', ['consultationId', 'createdAt'])
export class FlagEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'contribution_id', type: 'uuid' }) contributionId: string;
  @Column({ name: 'consultation_id', type: 'uuid' }) consultationId: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 24 }) reason: string;
  @Column({ type: 'text', default: '' }) note: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  /** upheld (the contribution was hidden or rejected) or dismissed (approved as it is) */
  @Column({ type: 'varchar', length: 16, nullable: true }) outcome: string | null;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt: Date | null;
}

/** Every disposition given, in order; the contribution row holds the current one. Append-only. */
@Entity('dispositions')
@Index('ix_dispositions_contribution', ['contributionId', 'at'])
export class DispositionEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'contribution_id', type: 'uuid' }) contributionId: string;
  @Column({ name: 'consultation_id', type: 'uuid' }) consultationId: string;
  @Column({ name: 'cluster_id', type: 'uuid', nullable: true }) clusterId: string | null;
  @Column({ type: 'varchar', length: 24 }) disposition: string;
  @Column({ type: 'text' }) response: string;
  @Column({ name: 'resulting_paragraph_id', type: 'uuid', nullable: true }) resultingParagraphId: string | null;
  @Column({ name: 'actor_id', type: 'uuid' }) actorId: string;
  @CreateDateColumn({ type: 'timestamptz' }) at: Date;
}

/** Text fingerprints for duplicate detection: the normalised hash and the MinHash signature. */
@Entity('fingerprints')
@Index('ix_fingerprints_exact', ['consultationId', 'exactHash'])
export class FingerprintEntity {
  @PrimaryColumn({ name: 'contribution_id', type: 'uuid' }) contributionId: string;
  @Column({ name: 'consultation_id', type: 'uuid' }) consultationId: string;
  @Column({ name: 'exact_hash', type: 'char', length: 64 }) exactHash: string;
  @Column({ type: 'int', array: true }) signature: number[];
  /** One LSH bucket per band (band mixed into the value); a GIN index finds signatures sharing any bucket. */
  @Index('ix_fingerprints_buckets', { synchronize: false })
  @Column({ type: 'int', array: true })
  buckets: number[];
}

/** Duplicates or a form-letter campaign: suggested by the machine, confirmed or split by a moderator. */
@Entity('clusters')
@Index('ix_clusters_consultation', ['consultationId', 'status'])
export class ClusterEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'consultation_id', type: 'uuid' }) consultationId: string;
  /** exact | near */
  @Column({ type: 'varchar', length: 8 }) kind: string;
  /** suggested | confirmed | dissolved */
  @Column({ type: 'varchar', length: 12 }) status: string;
  @Column({ name: 'representative_id', type: 'uuid' }) representativeId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true }) confirmedAt: Date | null;
  @Column({ name: 'confirmed_by', type: 'uuid', nullable: true }) confirmedBy: string | null;
}

/** Membership of a cluster; a member split off keeps its row with removed_at. */
@Entity('cluster_members')
@Index('uq_cluster_members_active', ['contributionId'], { unique: true, where: 'removed_at IS NULL' })
@Index('ix_cluster_members_cluster', ['clusterId'])
export class ClusterMemberEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'cluster_id', type: 'uuid' }) clusterId: string;
  @Column({ name: 'contribution_id', type: 'uuid' }) contributionId: string;
  @Column({ type: 'real' }) similarity: number;
  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' }) addedAt: Date;
  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true }) removedAt: Date | null;
}

export const MODERATION_ENTITIES = [
  ModerationDecisionEntity,
  FlagEntity,
  DispositionEntity,
  FingerprintEntity,
  ClusterEntity,
  ClusterMemberEntity,
];
