import { Injectable } from '@nestjs/common';
import type { Principal } from '@plenary/accounts';
import { CommonErrors } from '@plenary/core';
import { CHART_NAMES, type ChartName, chartSvg } from './charts';
import { toDocx } from './docx';
import { PdfPrinter } from './pdf';
import { toCsv, toHtml, toMarkdown } from './render';
import { REPORT_FORMATS, ReportsService } from './reports.service';

export const EXPORT_FORMATS = [...REPORT_FORMATS, 'docx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

export interface ExportFile {
  content: Buffer;
  type: string;
  filename: string;
}

/** A report as a file, or one of its charts: always the report as served to this reader (today's visibility policy). */
@Injectable()
export class ReportExportsService {
  constructor(
    private readonly reports: ReportsService,
    private readonly pdf: PdfPrinter,
  ) {}

  async file(id: string, p: Principal | undefined, format: ExportFormat): Promise<ExportFile> {
    const r = await this.reports.get(id, p);
    const filename = `report-${r.data.consultation.code}-${r.id.slice(0, 8)}.${format}`;
    const content =
      format === 'docx'
        ? await toDocx(r)
        : format === 'pdf'
          ? await this.pdf.print(toHtml(r))
          : Buffer.from(
              format === 'md'
                ? toMarkdown(r)
                : format === 'html'
                  ? toHtml(r)
                  : format === 'csv'
                    ? toCsv(r)
                    : JSON.stringify(
                        {
                          id: r.id,
                          contentHash: r.contentHash,
                          createdAt: r.createdAt,
                          inputs: r.inputs,
                          redactions: r.redactions,
                          data: r.data,
                        },
                        null,
                        2,
                      ),
              'utf8',
            );
    return { content, type: TYPES[format], filename };
  }

  async chart(id: string, p: Principal | undefined, name: string): Promise<string> {
    if (!(CHART_NAMES as readonly string[]).includes(name)) {
      throw CommonErrors.validation(`name must be one of: ${CHART_NAMES.join(', ')}`, {
        fields: [{ field: 'name', problems: ['unknown chart'] }],
      });
    }
    return chartSvg((await this.reports.get(id, p)).data, name as ChartName);
  }
}
