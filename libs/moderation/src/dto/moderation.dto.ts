import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsOmittable, PageLimit } from '@plenary/core';
import { REGIONAL_GROUPS, STAKEHOLDER_GROUPS } from '@plenary/accounts';
import { DECISION_ACTIONS, DISPOSITIONS, FLAG_REASONS, REASON_CODES } from '../moderation.entity';

const list = (values: readonly string[]) => values.join(', ');

export class DecisionDto {
  @ApiProperty({ enum: DECISION_ACTIONS })
  @IsIn(DECISION_ACTIONS, { message: `action must be one of: ${list(DECISION_ACTIONS)}` })
  action: string;

  @ApiProperty({ enum: REASON_CODES, description: 'Required for reject and hide; for approve, use other' })
  @IsIn(REASON_CODES, { message: `reason must be one of: ${list(REASON_CODES)}` })
  reason: string;

  @ApiPropertyOptional({
    maxLength: 2000,
    description: 'Shown to the author, moderators and chairs; never to the public',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class BulkDecisionDto extends DecisionDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 500 })
  @IsArray()
  @ArrayMinSize(1, { message: 'contributionIds must list at least one contribution' })
  @ArrayMaxSize(500, { message: 'contributionIds may list at most 500 contributions at once' })
  @ArrayUnique({ message: 'contributionIds must not repeat' })
  @IsUUID('all', { each: true, message: 'each contribution id must be a UUID' })
  contributionIds: string[];
}

export class FlagDto {
  @ApiProperty({ enum: FLAG_REASONS })
  @IsIn(FLAG_REASONS, { message: `reason must be one of: ${list(FLAG_REASONS)}` })
  reason: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOmittable()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

/** `cursor` from the previous page's nextCursor, and a page size. */
class PageQuery {
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(120) cursor?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @PageLimit(500)
  limit?: number;
}

export class QueueQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsUUID('all', { message: 'paragraph must be a paragraph id' })
  paragraph?: string;
  @ApiPropertyOptional({ enum: STAKEHOLDER_GROUPS })
  @IsOmittable()
  @IsIn(STAKEHOLDER_GROUPS, { message: `group must be one of: ${list(STAKEHOLDER_GROUPS)}` })
  group?: string;
  @ApiPropertyOptional({ enum: REGIONAL_GROUPS })
  @IsOmittable()
  @IsIn(REGIONAL_GROUPS, { message: `region must be one of: ${list(REGIONAL_GROUPS)}` })
  region?: string;
  @ApiPropertyOptional({
    enum: ['true', 'false', 'urgent'],
    description: 'true: only flagged; urgent: only falsely-attributed reports; false: only pending',
  })
  @IsOmittable()
  @IsIn(['true', 'false', 'urgent'], { message: 'flagged must be true, false or urgent' })
  flagged?: string;
}

export class DispositionDto {
  @ApiProperty({ enum: DISPOSITIONS })
  @IsIn(DISPOSITIONS, { message: `disposition must be one of: ${list(DISPOSITIONS)}` })
  disposition: string;

  @ApiProperty({ maxLength: 5000, description: 'The secretariat’s response, as published in the resolution matrix' })
  @IsString()
  @MaxLength(5000)
  response: string;

  @ApiPropertyOptional({ description: 'The paragraph of a later version that carries an accepted contribution' })
  @IsOmittable()
  @IsUUID('all', { message: 'resultingParagraphId must be a paragraph id' })
  resultingParagraphId?: string;
}

export class SplitDto {
  @ApiProperty({ type: [String], description: 'Members to take out of the cluster' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @IsUUID('all', { each: true, message: 'each contribution id must be a UUID' })
  contributionIds: string[];
}

export class MatrixQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOmittable()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
  @ApiPropertyOptional() @IsOmittable() @IsUUID('all', { message: 'document must be a document id' }) document?: string;
}

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Prefix of the action, e.g. decision or round' })
  @IsOmittable()
  @IsString()
  @MaxLength(48)
  action?: string;
}
