import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import type { Principal } from '@plenary/accounts';
import { ConsultationAccess } from '@plenary/consultations';
import { Clock, DomainError, DomainEvents } from '@plenary/core';
import { DocumentsService, RoundsService, wordDiff } from '@plenary/documents';
import { DispositionsService } from '@plenary/moderation';
import type { ReportEntity } from './report.entity';
import type { ReportData } from './report-data';
import { ReportsRepository } from './reports.repository';

export const REPORT_FORMATS = ['md', 'html', 'json', 'csv'] as const;

const ReportErrors = {
  notFound: (id: string) => new DomainError('REPORT_NOT_FOUND', 404, `Report ${id} does not exist.`),
  noDocument: () => new DomainError('NO_ROUND', 422, 'This consultation has no round yet: open a round on a document before reporting on it.'),
  roundNotFound: (id: string) => new DomainError('ROUND_NOT_FOUND', 404, `Round ${id} is not part of this consultation.`),
};

/**
 * The content hash of a report: sha256 of its inputs and data as JSON, one after the other. Both are stored as
 * `json` (text kept as written), so anyone can recompute it from GET /api/reports/:id.
 */
export function reportHash(inputs: unknown, data: unknown): string {
  return createHash('sha256').update(`${JSON.stringify(inputs)}\n${JSON.stringify(data)}`, 'utf8').digest('hex');
}

/** The open-data columns, in order. */
export const OPEN_DATA_COLUMNS = [
  'trackingNumber', 'submittedAt', 'round', 'version', 'paragraph', 'kind', 'body', 'proposedText', 'onBehalfOf', 'author', 'group',
  'organisation', 'country', 'region', 'capacity', 'verified', 'endorsements', 'disposition', 'response', 'contentHash',
] as const;

export interface ReportResponse {
  id: string;
  consultationId: string;
  roundId: string | null;
  inputs: Record<string, unknown>;
  contentHash: string;
  createdAt: string;
  data?: ReportData;
  summary?: { contributions: number; contributors: number };
}

/**
 * What a report holds in full, and where it stops: a snapshot must stay a document people can read (and a value
 * PostgreSQL and Word can hold) at a million contributions. Beyond these, the report says how many more there are
 * and the open-data export and the live matrix have them all.
 */
export const REPORT_MATRIX_ROWS = 5000;
export const REPORT_AMENDMENTS_PER_PARAGRAPH = 25;

@Injectable()
export class ReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly access: ConsultationAccess,
    private readonly documents: DocumentsService,
    private readonly rounds: RoundsService,
    private readonly dispositions: DispositionsService,
    private readonly clock: Clock,
    private readonly domain: DomainEvents,
  ) {}

  /**
   * A chair freezes the report of a round (or of the latest round): every figure is computed from the published
   * contributions as they are now, stored with its inputs and a content hash, and never changed afterwards.
   */
  async generate(consultationId: string, p: Principal, roundId?: string): Promise<ReportResponse> {
    const consultation = await this.access.requireChair(consultationId, p);
    const rounds = await this.rounds.list(consultationId, p);
    const round = roundId ? rounds.find((r) => r.id === roundId) : rounds[rounds.length - 1];
    if (roundId && !round) throw ReportErrors.roundNotFound(roundId);
    if (!round) throw ReportErrors.noDocument();
    const until = this.clock.now();
    const scope = roundId ? round.id : null;
    const progress = (percent: number, step: string) => this.domain.progress(p.id, { kind: 'report', consultationId, percent, step });
    progress(5, 'reading the document');
    const doc = await this.documents.get(round.documentId, p, round.version);
    progress(15, 'counting contributions');
    const [totals, byGroup, byRegion, byCountry, perDay, lineage, amendments, clusters, matrix, matrixTotal] = await Promise.all([
      this.repo.totals(consultationId, until, scope),
      this.repo.participation(consultationId, until, scope, 'author_group'),
      this.repo.participation(consultationId, until, scope, 'author_region'),
      this.repo.participation(consultationId, until, scope, 'author_country'),
      this.repo.perDay(consultationId, until, scope),
      this.repo.byLineage(doc.id, until, scope),
      this.repo.amendments(doc.id, until, scope, REPORT_AMENDMENTS_PER_PARAGRAPH),
      this.repo.clusters(consultationId),
      this.dispositions.matrix(consultationId, undefined, doc.id, REPORT_MATRIX_ROWS),
      this.repo.publishedOnDocument(doc.id),
    ]);
    progress(60, 'paragraph by paragraph');
    const clusterViews = clusters.map((k) => ({ id: k.id, status: k.status, count: k.count, representative: k.trackingNumber, lineageKey: k.lineageKey }));
    const paragraphs = doc.sections.flatMap((s) => s.paragraphs).map((para) => {
      const kinds = lineage.kinds.filter((r) => r.lineage_key === para.lineageKey);
      const byKind = { comment: 0, amendment: 0, reply: 0 };
      for (const k of kinds) byKind[k.kind as keyof typeof byKind] = Number(k.n);
      const endorsementsByGroup: Record<string, number> = {};
      for (const e of lineage.endorsements.filter((r) => r.lineage_key === para.lineageKey)) endorsementsByGroup[e.user_group as string] = Number(e.n);
      const dispositions: Record<string, number> = {};
      for (const d of lineage.dispositions.filter((r) => r.lineage_key === para.lineageKey)) dispositions[d.disposition as string] = Number(d.n);
      return {
        label: para.label,
        lineageKey: para.lineageKey,
        published: byKind.comment + byKind.amendment + byKind.reply,
        byKind,
        endorsements: Object.values(endorsementsByGroup).reduce((a, b) => a + b, 0),
        endorsementsByGroup,
        dispositions,
        clusters: clusterViews.filter((k) => k.lineageKey === para.lineageKey).map(({ lineageKey: _, ...k }) => k),
        amendments: amendments
          .filter((a) => a.lineage_key === para.lineageKey)
          .map((a) => ({
            trackingNumber: a.tracking_number as string,
            author: a.author_name as string,
            organisation: a.organisation as string,
            group: a.author_group as string,
            comment: a.body as string,
            proposedText: a.proposed_text as string,
            endorsements: Number(a.endorsement_count),
            disposition: (a.disposition as string | null) ?? null,
            diff: wordDiff(a.paragraph_text as string, a.proposed_text as string),
          })),
      };
    });
    const changes =
      doc.currentVersion > doc.version
        ? await this.documents.diff(doc.id, p, doc.version, doc.version + 1).then((d) => ({
            from: d.from,
            to: d.to,
            summary: d.summary,
            paragraphs: d.paragraphs.filter((x) => x.status !== 'unchanged').map((x) => ({ status: x.status, label: (x.to ?? x.from)!.label, ops: x.ops })),
          }))
        : null;
    const data: ReportData = {
      consultation: { id: consultation.id, code: consultation.code, title: consultation.title },
      round: { id: round.id, name: round.name, opensAt: round.opensAt, closesAt: round.closesAt, closedEarlyAt: round.closedEarlyAt },
      document: { id: doc.id, title: doc.title, version: doc.version, versionName: doc.versionName },
      generatedAt: until.toISOString(),
      participation: { ...totals, byGroup, byRegion, byCountry, perDay },
      mostDiscussed: [...paragraphs]
        .filter((x) => x.published > 0)
        .sort((a, b) => b.published - a.published || a.label.localeCompare(b.label, 'en', { numeric: true }))
        .slice(0, 10)
        .map((x) => ({ label: x.label, published: x.published, amendments: x.byKind.amendment })),
      paragraphs,
      clusters: clusterViews.map(({ lineageKey: _, ...k }) => k),
      matrix,
      matrixTotal,
      changes,
    };
    const inputs = {
      consultationId,
      roundId: scope,
      round: round.name,
      documentId: doc.id,
      version: doc.version,
      until: until.toISOString(),
      filters: { status: 'published', scope: scope ? 'round' : 'all rounds' },
    };
    progress(80, 'sealing the snapshot');
    const contentHash = reportHash(inputs, data);
    const saved = await this.repo.insert({ consultationId, roundId: scope, inputs, data: data as unknown as Record<string, unknown>, contentHash, createdBy: p.id });
    this.domain.progress(p.id, { kind: 'report', id: saved.id, consultationId, percent: 100, step: 'done' });
    // The snapshot can be large (the matrix has a row per contribution): the answer names it; GET /api/reports/:id has it all.
    return { ...this.map(saved, false), summary: { contributions: data.participation.contributions, contributors: data.participation.contributors } };
  }

  async get(id: string, p: Principal | undefined): Promise<ReportResponse & { data: ReportData }> {
    const r = await this.repo.find(id);
    if (!r) throw ReportErrors.notFound(id);
    await this.access.readable(r.consultationId, p).catch(() => {
      throw ReportErrors.notFound(id);
    });
    return this.map(r, true) as ReportResponse & { data: ReportData };
  }

  async list(consultationId: string, p: Principal | undefined): Promise<ReportResponse[]> {
    await this.access.readable(consultationId, p);
    return (await this.repo.list(consultationId)).map((r) => this.map(r, false));
  }

  /** Every published contribution as CSV or JSON Lines, streamed from a database cursor. */
  async openData(consultationId: string, p: Principal | undefined, format: 'csv' | 'jsonl'): Promise<Readable> {
    await this.access.readable(consultationId, p);
    const { stream, release } = await this.repo.openData(consultationId);
    const toRecord = (r: Record<string, unknown>) => ({
      trackingNumber: r.tracking_number,
      submittedAt: new Date(r.submitted_at as string).toISOString(),
      round: `R${r.round_number}`,
      version: r.version_number,
      paragraph: r.paragraph_label ?? 'general',
      kind: r.kind,
      body: r.body,
      proposedText: r.proposed_text,
      onBehalfOf: r.on_behalf_of,
      author: r.author_name,
      group: r.author_group,
      organisation: r.author_organisation,
      country: r.author_country,
      region: r.author_region,
      capacity: r.author_capacity,
      verified: r.author_verified,
      endorsements: Number(r.endorsement_count),
      disposition: r.disposition,
      response: r.disposition_response,
      contentHash: r.content_hash,
    });
    const records = new Transform({ objectMode: true, transform: (row, _e, cb) => cb(null, toRecord(row)) });
    const out: Transform =
      format === 'jsonl'
        ? new Transform({ writableObjectMode: true, transform: (rec, _e, cb) => cb(null, `${JSON.stringify(rec)}\n`) })
        : stringify({ header: true, bom: true, columns: OPEN_DATA_COLUMNS as unknown as string[] });
    stream.on('error', (e) => out.destroy(e));
    out.on('close', release);
    stream.pipe(records).pipe(out);
    return out;
  }

  private map(r: ReportEntity, withData: boolean): ReportResponse {
    return {
      id: r.id,
      consultationId: r.consultationId,
      roundId: r.roundId,
      inputs: r.inputs,
      contentHash: r.contentHash,
      createdAt: r.createdAt.toISOString(),
      ...(withData ? { data: r.data as unknown as ReportData } : {}),
    };
  }
}

