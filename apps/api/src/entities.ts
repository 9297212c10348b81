import { AuditEntryEntity, RefreshTokenEntity, SessionEntity, UserEntity } from '@plenary/accounts';
import {
  ConsultationEntity,
  ConsultationEventEntity,
  ConsultationMemberEntity,
  EventCounterEntity,
} from '@plenary/consultations';
import {
  DocumentEntity,
  DocumentVersionEntity,
  ParagraphEntity,
  RoundChangeEntity,
  RoundEntity,
  SectionEntity,
} from '@plenary/documents';
import {
  ContributionEntity,
  ContributionRevisionEntity,
  EndorsementEntity,
  IdempotencyKeyEntity,
  ParagraphCountEntity,
} from '@plenary/contributions';
import { MODERATION_ENTITIES } from '@plenary/moderation';
import { ReportEntity } from '@plenary/reports';

/** Every entity of every lib: what the schema should be. Used by the migration CLI and the schema test. */
export const ENTITIES = [
  UserEntity,
  SessionEntity,
  RefreshTokenEntity,
  AuditEntryEntity,
  ConsultationEntity,
  ConsultationMemberEntity,
  ConsultationEventEntity,
  EventCounterEntity,
  DocumentEntity,
  DocumentVersionEntity,
  SectionEntity,
  ParagraphEntity,
  RoundEntity,
  RoundChangeEntity,
  ContributionEntity,
  ContributionRevisionEntity,
  EndorsementEntity,
  IdempotencyKeyEntity,
  ParagraphCountEntity,
  ...MODERATION_ENTITIES,
  ReportEntity,
];
