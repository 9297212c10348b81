import { Body, Controller, Get, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { Authenticated, CurrentUser, Principal, Public } from '@plenary/accounts';
import { UuidParam, IsOmittable } from '@plenary/core';
import { OpenDataService } from './open-data.service';
import { EXPORT_FORMATS, type ExportFormat, ReportExportsService } from './report-exports.service';
import { ReportsService } from './reports.service';

export class CreateReportDto {
  @ApiPropertyOptional({
    description: 'A round of this consultation; absent: every round so far, on the latest round’s document',
  })
  @IsOmittable()
  @IsUUID('all', { message: 'roundId must be a round id' })
  roundId?: string;
}

export class ExportQuery {
  @ApiProperty({ enum: EXPORT_FORMATS })
  @IsIn(EXPORT_FORMATS, { message: `format must be one of: ${EXPORT_FORMATS.join(', ')}` })
  format: ExportFormat;
}

export class ReportQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      "true: the snapshot exactly as stored, with its content hash to verify (the consultation's chairs, moderators and admins). Otherwise the report is served under today's visibility policy.",
  })
  @IsOmittable()
  @IsIn(['true', 'false'], { message: 'original must be true or false' })
  original?: 'true' | 'false';
}

export class OpenDataQuery {
  @ApiProperty({ enum: ['csv', 'jsonl'] })
  @IsIn(['csv', 'jsonl'], { message: 'format must be csv or jsonl' })
  format: 'csv' | 'jsonl';
}

@ApiTags('reports')
@Controller('api')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly exports: ReportExportsService,
    private readonly openDataService: OpenDataService,
  ) {}

  /** Chairs of the consultation and admins. */
  @Post('consultations/:id/reports')
  @Authenticated()
  create(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal, @Body() dto: CreateReportDto) {
    return this.reports.generate(id, p, dto.roundId);
  }

  @Get('consultations/:id/reports')
  @Public()
  list(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal | undefined) {
    return this.reports.list(id, p);
  }

  /** Served under today's visibility policy; `?original=true`: as stored, for chairs, moderators and admins. */
  @Get('reports/:id')
  @Public()
  get(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal | undefined, @Query() q: ReportQuery) {
    return q.original === 'true' ? this.reports.original(id, p) : this.reports.get(id, p);
  }

  @Get('reports/:id/export')
  @Public()
  async export(
    @Param('id', UuidParam()) id: string,
    @CurrentUser() p: Principal | undefined,
    @Query() q: ExportQuery,
  ): Promise<StreamableFile> {
    const f = await this.exports.file(id, p, q.format);
    return new StreamableFile(f.content, { type: f.type, disposition: `attachment; filename="${f.filename}"` });
  }

  /** One of the report's charts as SVG, for the web app (the same drawing as in the exports). */
  @Get('reports/:id/charts/:name')
  @Public()
  async chart(
    @Param('id', UuidParam()) id: string,
    @Param('name') name: string,
    @CurrentUser() p: Principal | undefined,
  ): Promise<StreamableFile> {
    return new StreamableFile(Buffer.from(await this.exports.chart(id, p, name), 'utf8'), {
      type: 'image/svg+xml; charset=utf-8',
    });
  }

  /** Open data, as the public reads it: published contributions with their words, hidden ones as a trace; streamed. */
  @Get('consultations/:id/contributions/export')
  @Public()
  async openData(
    @Param('id', UuidParam()) id: string,
    @CurrentUser() p: Principal | undefined,
    @Query() q: OpenDataQuery,
  ): Promise<StreamableFile> {
    const stream = await this.openDataService.export(id, p, q.format);
    return new StreamableFile(stream, {
      type: q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      disposition: `attachment; filename="contributions-${id}.${q.format}"`,
    });
  }
}
