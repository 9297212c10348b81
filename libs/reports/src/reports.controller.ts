import { Body, Controller, Get, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import { Authenticated, CurrentUser, Principal, Public } from '@plenary/accounts';
import { CommonErrors, UuidParam, IsOmittable } from '@plenary/core';
import { PdfPrinter } from './pdf';
import { toDocx } from './docx';
import { CHART_NAMES, ChartName, chartSvg } from './charts';
import { toCsv, toHtml, toMarkdown } from './render';
import { REPORT_FORMATS, ReportsService } from './reports.service';

export class CreateReportDto {
  @ApiPropertyOptional({ description: 'A round of this consultation; absent: every round so far, on the latest round’s document' })
  @IsOmittable()
  @IsUUID('all', { message: 'roundId must be a round id' })
  roundId?: string;
}

export class ExportQuery {
  @ApiProperty({ enum: [...REPORT_FORMATS, 'docx', 'pdf'] })
  @IsIn([...REPORT_FORMATS, 'docx', 'pdf'], { message: `format must be one of: ${[...REPORT_FORMATS, 'docx', 'pdf'].join(', ')}` })
  format: string;
}

export class OpenDataQuery {
  @ApiProperty({ enum: ['csv', 'jsonl'] })
  @IsIn(['csv', 'jsonl'], { message: 'format must be csv or jsonl' })
  format: 'csv' | 'jsonl';
}

const TYPES: Record<string, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

@ApiTags('reports')
@Controller('api')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly pdf: PdfPrinter,
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

  @Get('reports/:id')
  @Public()
  get(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal | undefined) {
    return this.reports.get(id, p);
  }

  @Get('reports/:id/export')
  @Public()
  async export(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal | undefined, @Query() q: ExportQuery): Promise<StreamableFile> {
    const r = await this.reports.get(id, p);
    const filename = `report-${r.data.consultation.code}-${r.id.slice(0, 8)}`;
    if (q.format === 'docx') {
      return new StreamableFile(await toDocx(r), { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', disposition: `attachment; filename="${filename}.docx"` });
    }
    if (q.format === 'pdf') {
      return new StreamableFile(await this.pdf.print(toHtml(r)), { type: 'application/pdf', disposition: `attachment; filename="${filename}.pdf"` });
    }
    const body = q.format === 'md' ? toMarkdown(r) : q.format === 'html' ? toHtml(r) : q.format === 'csv' ? toCsv(r) : JSON.stringify({ id: r.id, contentHash: r.contentHash, createdAt: r.createdAt, inputs: r.inputs, data: r.data }, null, 2);
    return new StreamableFile(Buffer.from(body, 'utf8'), { type: TYPES[q.format], disposition: `attachment; filename="${filename}.${q.format}"` });
  }

  /** One of the report's charts as SVG, for the web app (the same drawing as in the exports). */
  @Get('reports/:id/charts/:name')
  @Public()
  async chart(@Param('id', UuidParam()) id: string, @Param('name') name: string, @CurrentUser() p: Principal | undefined): Promise<StreamableFile> {
    if (!(CHART_NAMES as readonly string[]).includes(name)) {
      throw CommonErrors.validation(`name must be one of: ${CHART_NAMES.join(', ')}`, { fields: [{ field: 'name', problems: ['unknown chart'] }] });
    }
    const r = await this.reports.get(id, p);
    return new StreamableFile(Buffer.from(chartSvg(r.data, name as ChartName), 'utf8'), { type: 'image/svg+xml; charset=utf-8' });
  }

  /** Open data: every published contribution with its author snapshot, paragraph and disposition, streamed. */
  @Get('consultations/:id/contributions/export')
  @Public()
  async openData(@Param('id', UuidParam()) id: string, @CurrentUser() p: Principal | undefined, @Query() q: OpenDataQuery): Promise<StreamableFile> {
    const stream = await this.reports.openData(id, p, q.format);
    return new StreamableFile(stream, {
      type: q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      disposition: `attachment; filename="contributions-${id}.${q.format}"`,
    });
  }
}
