export * from './contributions.module';
export * from './contributions.errors';
export * from './contributions.service';
export * from './records/contribution-records.service';
export * from './read-model/contribution-stats.service';
export type { ParticipationDimension } from './read-model/contribution-stats.repository';
export * from './dto/contribution.response';
export {
  ContributionEntity,
  ContributionRevisionEntity,
  EndorsementEntity,
  IdempotencyKeyEntity,
  ParagraphCountEntity,
  GENERAL_LINEAGE,
  CONTRIBUTION_KINDS,
  CONTRIBUTION_STATUSES,
} from './contribution.entity';
export { SETTLE_SECONDS } from './contributions.repository';
export * from './visibility.policy';
export * from './contribution-ref';
