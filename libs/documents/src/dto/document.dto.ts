import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '@plenary/core';

export const IMPORT_FORMATS = ['markdown', 'text', 'docx'] as const;

export class ImportDocumentDto {
  @ApiPropertyOptional({ description: 'Defaults to the title found in the draft' })
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title?: string;

  @ApiProperty({ enum: IMPORT_FORMATS })
  @IsIn(IMPORT_FORMATS, { message: 'format must be markdown, text or docx' })
  format: (typeof IMPORT_FORMATS)[number];

  @ApiProperty({ description: 'The draft text, or for docx the file encoded as base64' })
  @IsString({ message: 'content must be a string' })
  @MaxLength(1_000_000)
  content: string;
}

export class LineageCorrectionDto {
  @ApiProperty({ description: 'Label of the paragraph in the new version' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  label: string;
  @ApiProperty({ nullable: true, description: 'Lineage key of the paragraph it continues, or null if it is new' })
  @ValidateIf((o) => o.lineageKey !== null)
  @IsUUID('all', { message: 'lineageKey must be a UUID or null' })
  lineageKey: string | null;
}

export class ParagraphEditDto {
  @ApiProperty() @IsUUID('all', { message: 'paragraphId must be a UUID' }) paragraphId: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @IsNotEmpty() @MaxLength(50000) text?: string;
  @ApiPropertyOptional({ description: 'Drop the paragraph from the new version' })
  @IsOmittable()
  @IsBoolean()
  delete?: boolean;
}

export class PublishVersionDto {
  @ApiPropertyOptional({ enum: IMPORT_FORMATS, description: 'With content: the full text of the new version' })
  @ValidateIf((o) => o.content !== undefined || o.edits === undefined)
  @IsIn(IMPORT_FORMATS, { message: 'format must be markdown, text or docx' })
  format?: (typeof IMPORT_FORMATS)[number];

  @ApiPropertyOptional()
  @ValidateIf((o) => o.edits === undefined)
  @IsString({ message: 'content must be a string (or give edits instead)' })
  @MaxLength(1_000_000)
  content?: string;

  @ApiPropertyOptional({
    type: [ParagraphEditDto],
    description: 'Instead of content: edits to paragraphs of the current version',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => ParagraphEditDto)
  edits?: ParagraphEditDto[];

  @ApiPropertyOptional({ type: [LineageCorrectionDto] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => LineageCorrectionDto)
  lineage?: LineageCorrectionDto[];

  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(5000) note?: string;
}

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

export class DiffQueryDto {
  @ApiProperty()
  @Transform(toInt)
  @IsInt({ message: 'from must be a version number' })
  @Min(1)
  @Max(100000)
  from: number;
  @ApiProperty() @Transform(toInt) @IsInt({ message: 'to must be a version number' }) @Min(1) @Max(100000) to: number;
  @ApiPropertyOptional({
    enum: ['json', 'docx'],
    description: 'docx: the `to` version with the changes as Word tracked changes',
  })
  @IsOmittable()
  @IsIn(['json', 'docx'], { message: 'format must be json or docx' })
  format?: 'json' | 'docx';
}

export class CreateRoundDto {
  @ApiProperty() @IsUUID('all', { message: 'documentId must be a UUID' }) documentId: string;
  @ApiPropertyOptional({ description: 'Version number; defaults to the current version' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  version?: number;
  @ApiProperty({ example: '2026-12-01T09:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'opensAt must be an ISO 8601 date-time' })
  opensAt: string;
  @ApiProperty({ example: '2026-12-15T17:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'closesAt must be an ISO 8601 date-time' })
  closesAt: string;
}

export class UpdateRoundDto {
  @ApiPropertyOptional({ description: 'A later closing time (extend)' })
  @IsOmittable()
  @IsISO8601({ strict: true }, { message: 'closesAt must be an ISO 8601 date-time' })
  closesAt?: string;
  @ApiPropertyOptional({ description: 'true: close the round now' })
  @IsOmittable()
  @IsIn([true], { message: 'close must be true' })
  close?: true;
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(2000) reason?: string;
}
