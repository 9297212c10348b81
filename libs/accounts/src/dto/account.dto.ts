import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsOmittable } from '@plenary/core';
import { REGIONAL_GROUPS } from '../regions';
import { CAPACITIES, ROLES, STAKEHOLDER_GROUPS } from '../stakeholder';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

const groupMessage = `stakeholderGroup must be one of: ${STAKEHOLDER_GROUPS.join(', ')}`;
const countryMessage = 'country must be an ISO 3166-1 alpha-2 code such as CH, KE or BR';

export class RegisterDto {
  @ApiProperty({ example: 'delegate@example.org' })
  @Transform(lower)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MinLength(12, { message: 'password must be at least 12 characters long' })
  @MaxLength(256)
  password: string;

  @ApiProperty({ example: 'Amina Diallo' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'displayName must not be empty' })
  @MaxLength(120)
  displayName: string;

  @ApiProperty({ enum: STAKEHOLDER_GROUPS })
  @IsIn(STAKEHOLDER_GROUPS, { message: groupMessage })
  stakeholderGroup: string;

  @ApiProperty({ example: 'Ministry of Communications' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'organisation must not be empty' })
  @MaxLength(200)
  organisation: string;

  @ApiProperty({ example: 'SN', description: 'ISO 3166-1 alpha-2' })
  @Transform(upper)
  @IsISO31661Alpha2({ message: countryMessage })
  country: string;

  @ApiProperty({ enum: CAPACITIES })
  @IsIn(CAPACITIES, { message: `capacity must be one of: ${CAPACITIES.join(', ')}` })
  capacity: string;
}

export class LoginDto {
  @ApiProperty()
  @Transform(lower)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'password must not be empty' }) @MaxLength(256) password: string;
}

export class RefreshDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) refreshToken: string;
}

export class UpdateProfileDto {
  @ApiPropertyOptional() @IsOmittable() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(120) displayName?: string;
  @ApiPropertyOptional({ enum: STAKEHOLDER_GROUPS })
  @IsOmittable()
  @IsIn(STAKEHOLDER_GROUPS, { message: groupMessage })
  stakeholderGroup?: string;
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  organisation?: string;
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(upper)
  @IsISO31661Alpha2({ message: countryMessage })
  country?: string;
  @ApiPropertyOptional({ enum: CAPACITIES })
  @IsOmittable()
  @IsIn(CAPACITIES, { message: `capacity must be one of: ${CAPACITIES.join(', ')}` })
  capacity?: string;
}

export class AdminUpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: `each role must be one of: ${ROLES.join(', ')}` })
  roles?: string[];

  @ApiPropertyOptional() @IsOmittable() @IsBoolean() verified?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() suspended?: boolean;
}

export class UserQueryDto {
  @ApiPropertyOptional({ enum: STAKEHOLDER_GROUPS })
  @IsOmittable()
  @IsIn(STAKEHOLDER_GROUPS, { message: groupMessage })
  group?: string;
  @ApiPropertyOptional({ enum: REGIONAL_GROUPS })
  @IsOmittable()
  @IsIn(REGIONAL_GROUPS, { message: `region must be one of: ${REGIONAL_GROUPS.join(', ')}` })
  region?: string;
  @ApiPropertyOptional({ enum: ROLES })
  @IsOmittable()
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}` })
  role?: string;
  @ApiPropertyOptional()
  @IsOmittable()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'verified must be true or false' })
  verified?: boolean;
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  cursor?: string;
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOmittable()
  @Transform(({ value }) => (/^\d+$/.test(String(value)) ? Number(value) : value))
  @IsIn(Array.from({ length: 200 }, (_, i) => i + 1), { message: 'limit must be a whole number from 1 to 200' })
  limit?: number;
}
