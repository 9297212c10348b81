import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsOmittable } from '@plenary/core';

export const MODERATION_POLICIES = ['pre', 'post'] as const;
export const CONSULTATION_STATUSES = ['draft', 'open', 'closed', 'archived'] as const;
export const MEMBER_ROLES = ['chair', 'moderator'] as const;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateConsultationDto {
  @ApiProperty({ example: 'WSIS+10 Vision: Action Line C11' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'title must not be empty' })
  @MaxLength(300)
  title: string;

  @ApiPropertyOptional({
    example: 'C11',
    description: 'Short code for tracking numbers: 2-12 letters, digits or dashes',
  })
  @IsOmittable()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,11}$/, { message: 'code must be 2 to 12 letters, digits or dashes, such as C11' })
  code?: string;

  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(20000) description?: string;

  @ApiProperty({
    enum: MODERATION_POLICIES,
    description: 'pre: contributions wait for a moderator; post: published at once',
  })
  @IsIn(MODERATION_POLICIES, { message: 'moderationPolicy must be pre or post' })
  moderationPolicy: string;
}

export class UpdateConsultationDto {
  @ApiPropertyOptional() @IsOmittable() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(300) title?: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(20000) description?: string;
  @ApiPropertyOptional({ enum: MODERATION_POLICIES })
  @IsOmittable()
  @IsIn(MODERATION_POLICIES, { message: 'moderationPolicy must be pre or post' })
  moderationPolicy?: string;
  @ApiPropertyOptional({ enum: CONSULTATION_STATUSES })
  @IsOmittable()
  @IsIn(CONSULTATION_STATUSES, { message: `status must be one of: ${CONSULTATION_STATUSES.join(', ')}` })
  status?: string;
}

export class AddMemberDto {
  @ApiPropertyOptional({ description: 'The account, by id…' })
  @ValidateIf((o) => o.email === undefined || o.userId !== undefined)
  @IsUUID('all', { message: 'userId must be a UUID (or give email instead)' })
  userId?: string;

  @ApiPropertyOptional({ description: '…or by the email it signs in with' })
  @ValidateIf((o) => o.userId === undefined)
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiProperty({ enum: MEMBER_ROLES }) @IsIn(MEMBER_ROLES, { message: 'role must be chair or moderator' }) role: string;
}

export class ConsultationResponse {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: MODERATION_POLICIES }) moderationPolicy: string;
  @ApiProperty({ enum: CONSULTATION_STATUSES }) status: string;
  @ApiProperty({
    enum: CONSULTATION_STATUSES,
    isArray: true,
    description: 'The statuses a chair may move it to next (the rule lives on the server; clients offer these)',
  })
  nextStatuses: string[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiPropertyOptional({ description: 'Your roles in this consultation' }) myRoles?: string[];
}

export class MemberResponse {
  @ApiProperty() id: string;
  @ApiProperty() userId: string;
  @ApiProperty() displayName: string;
  @ApiProperty() organisation: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: string;
  @ApiProperty() addedBy: string;
  @ApiProperty() createdAt: string;
}
