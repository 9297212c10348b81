export * from './contributions.module';
export * from './contributions.errors';
export * from './contributions.service';
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
