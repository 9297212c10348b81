import { Injectable } from '@nestjs/common';
import { Readable, Transform } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Principal } from '@plenary/accounts';
import { ConsultationAccess } from '@plenary/consultations';
import { ContributionStatsService, type OpenDataRecord } from '@plenary/contributions';
import { csvSafeRow } from '@plenary/core';

/** The open-data columns, in order (the last two were added by issue 14: hidden contributions appear as a trace). */
export const OPEN_DATA_COLUMNS: readonly (keyof OpenDataRecord)[] = [
  'trackingNumber',
  'submittedAt',
  'round',
  'version',
  'paragraph',
  'kind',
  'body',
  'proposedText',
  'onBehalfOf',
  'author',
  'group',
  'organisation',
  'country',
  'region',
  'capacity',
  'verified',
  'endorsements',
  'disposition',
  'response',
  'contentHash',
  'status',
  'withheldReason',
];

/**
 * The open data of a consultation (GET /api/consultations/:id/contributions/export), streamed as CSV or JSON Lines.
 * What it holds is the contributions lib's public read model: the same file whoever asks.
 */
@Injectable()
export class OpenDataService {
  constructor(
    private readonly access: ConsultationAccess,
    private readonly stats: ContributionStatsService,
  ) {}

  async export(consultationId: string, p: Principal | undefined, format: 'csv' | 'jsonl'): Promise<Readable> {
    await this.access.readable(consultationId, p);
    const records = await this.stats.openData(consultationId);
    const out: Transform =
      format === 'jsonl'
        ? // JSON Lines keeps the text as written: it is not a spreadsheet.
          new Transform({
            writableObjectMode: true,
            transform: (rec: OpenDataRecord, _e, cb) => cb(null, `${JSON.stringify(rec)}\n`),
          })
        : stringify({ header: true, bom: true, columns: OPEN_DATA_COLUMNS as unknown as string[] });
    records.on('error', (e) => out.destroy(e));
    // However the reader stops (end, error, disconnect), the database cursor is closed.
    out.on('close', () => records.destroy());
    const source =
      format === 'csv'
        ? // A text cell a spreadsheet would run as a formula is written with a leading quote.
          records.pipe(
            new Transform({
              objectMode: true,
              transform: (rec: OpenDataRecord, _e, cb) => cb(null, csvSafeRow({ ...rec })),
            }),
          )
        : records;
    source.pipe(out);
    return out;
  }
}
