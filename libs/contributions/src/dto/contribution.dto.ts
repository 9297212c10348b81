import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO31661Alpha2, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsOmittable, PageLimit } from '@plenary/core';
import { REGIONAL_GROUPS, STAKEHOLDER_GROUPS } from '@plenary/accounts';
import { CONTRIBUTION_KINDS, CONTRIBUTION_STATUSES } from '../contribution.entity';

export const MAX_BODY = 10_000;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const notBlank = /\S/;

export class CreateContributionDto {
  @ApiProperty({ enum: CONTRIBUTION_KINDS })
  @IsIn(CONTRIBUTION_KINDS, { message: `kind must be one of: ${CONTRIBUTION_KINDS.join(', ')}` })
  kind: string;

  @ApiProperty({
    maxLength: MAX_BODY,
    description: 'Stored exactly as written (no trimming); shown as text, never as HTML.',
  })
  @IsString({ message: 'body must be text' })
  @MaxLength(MAX_BODY, { message: `body must be at most ${MAX_BODY} characters` })
  @Matches(notBlank, { message: 'body must not be empty' })
  body: string;

  @ApiPropertyOptional({ maxLength: MAX_BODY, description: 'For an amendment: the whole paragraph as it should read.' })
  @IsOmittable()
  @IsString({ message: 'proposedText must be text' })
  @MaxLength(MAX_BODY, { message: `proposedText must be at most ${MAX_BODY} characters` })
  @Matches(notBlank, { message: 'proposedText must not be empty' })
  proposedText?: string;

  @ApiPropertyOptional({ description: 'For a reply: the contribution it answers.' })
  @IsOmittable()
  @IsUUID('all', { message: 'parentId must be a contribution id' })
  parentId?: string;

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'The organisation or delegation this is submitted for (representative capacity only).',
  })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  @Matches(notBlank, { message: 'onBehalfOf must not be empty' })
  onBehalfOf?: string;
}

/** body, proposedText, onBehalfOf: each optional, validated as on submission. */
export class UpdateContributionDto extends PartialType(
  PickType(CreateContributionDto, ['body', 'proposedText', 'onBehalfOf'] as const),
) {}

export class ListContributionsQuery {
  @ApiPropertyOptional({ enum: STAKEHOLDER_GROUPS })
  @IsOmittable()
  @IsIn(STAKEHOLDER_GROUPS, { message: `group must be one of: ${STAKEHOLDER_GROUPS.join(', ')}` })
  group?: string;

  @ApiPropertyOptional({ enum: REGIONAL_GROUPS })
  @IsOmittable()
  @IsIn(REGIONAL_GROUPS, { message: `region must be one of: ${REGIONAL_GROUPS.join(', ')}` })
  region?: string;

  @ApiPropertyOptional({ example: 'KE' })
  @IsOmittable()
  @Transform(upper)
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as CH, KE or BR' })
  country?: string;

  @ApiPropertyOptional({ enum: CONTRIBUTION_KINDS })
  @IsOmittable()
  @IsIn(CONTRIBUTION_KINDS, { message: `kind must be one of: ${CONTRIBUTION_KINDS.join(', ')}` })
  kind?: string;

  @ApiPropertyOptional({ enum: CONTRIBUTION_STATUSES })
  @IsOmittable()
  @IsIn(CONTRIBUTION_STATUSES, { message: `status must be one of: ${CONTRIBUTION_STATUSES.join(', ')}` })
  status?: string;

  @ApiPropertyOptional({ description: 'A paragraph id: contributions on it and on its earlier versions.' })
  @IsOmittable()
  @IsUUID('all', { message: 'paragraph must be a paragraph id' })
  paragraph?: string;

  @ApiPropertyOptional({ description: 'A document id.' })
  @IsOmittable()
  @IsUUID('all', { message: 'document must be a document id' })
  document?: string;

  @ApiPropertyOptional({ description: 'Full-text search (words, "a phrase", -exclude, or).' })
  @IsOmittable()
  @IsString()
  @MaxLength(200, { message: 'q must be at most 200 characters' })
  q?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: "Only the caller's own contributions." })
  @IsOmittable()
  @IsIn(['true', 'false'], { message: 'mine must be true or false' })
  mine?: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOmittable()
  @IsIn(['asc', 'desc'], { message: 'order must be asc or desc' })
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: 'nextCursor from the previous page.' })
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @PageLimit(200)
  limit?: number;
}

export class ThreadQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 500,
    default: 100,
    description: 'Top-level contributions per page (their replies come with them)',
  })
  @PageLimit(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page.' })
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  cursor?: string;
}
