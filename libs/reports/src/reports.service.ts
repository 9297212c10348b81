import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@plenary/accounts';
import { ConsultationAccess } from '@plenary/consultations';
import { ContributionStatsService, ContributionsService } from '@plenary/contributions';
import { Clock, DomainEvents } from '@plenary/core';
import { DocumentsService, ParagraphLookup, RoundsService, wordDiff } from '@plenary/documents';
import { ClusterReadModel, DispositionsService } from '@plenary/moderation';
import type { ReportEntity } from './report.entity';
import type { Redactions, ReportData } from './report-data';
import { ReportErrors } from './reports.errors';
import { ReportServing } from './report-serving';
import { ReportsRepository } from './reports.repository';

export const REPORT_FORMATS = ['md', 'html', 'json', 'csv'] as const;

/**
 * The content hash of a report: sha256 of its inputs and data as JSON, one after the other. Both are stored as
 * `json` (text kept as written), so whoever may read the stored snapshot (GET /api/reports/:id?original=true)
 * can recompute it.
 */
export function reportHash(inputs: unknown, data: unknown): string {
  return createHash('sha256')
    .update(`${JSON.stringify(inputs)}\n${JSON.stringify(data)}`, 'utf8')
    .digest('hex');
}

export interface ReportResponse {
  id: string;
  consultationId: string;
  roundId: string | null;
  inputs: Record<string, unknown>;
  /** The stored snapshot's hash; null in a served report that withholds words from this reader (the hash covers them). */
  contentHash: string | null;
  createdAt: string;
  data?: ReportData;
  /** In a served report: what today's visibility policy withheld from this reader. */
  redactions?: Redactions;
  /** true in the stored snapshot as it was made (?original=true). */
  original?: boolean;
  summary?: { contributions: number; contributors: number };
}

export type ServedReport = ReportResponse & { data: ReportData; redactions: Redactions };

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
    private readonly paragraphs: ParagraphLookup,
    private readonly rounds: RoundsService,
    private readonly stats: ContributionStatsService,
    private readonly contributions: ContributionsService,
    private readonly clusters: ClusterReadModel,
    private readonly dispositions: DispositionsService,
    private readonly serving: ReportServing,
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
    const counted = { until, roundId: scope };
    const progress = (percent: number, step: string) =>
      this.domain.progress(p.id, { kind: 'report', consultationId, percent, step });
    progress(5, 'reading the document');
    const doc = await this.documents.get(round.documentId, p, round.version);
    progress(15, 'counting contributions');
    // Everything is counted and quoted as the public reads it (the read models apply the visibility policy).
    const [totals, byGroup, byRegion, byCountry, perDay, lineage, amendments, clusters, matrix, matrixTotal] =
      await Promise.all([
        this.stats.totals(consultationId, counted),
        this.stats.participationBy(consultationId, counted, 'group'),
        this.stats.participationBy(consultationId, counted, 'region'),
        this.stats.participationBy(consultationId, counted, 'country'),
        this.stats.perDay(consultationId, counted),
        this.stats.byLineage(doc.id, counted),
        this.stats.mostEndorsedAmendments(doc.id, counted, REPORT_AMENDMENTS_PER_PARAGRAPH),
        this.clusters.publicClusters(consultationId),
        this.dispositions.matrix(consultationId, undefined, doc.id, REPORT_MATRIX_ROWS),
        this.stats.publishedOnDocument(doc.id),
      ]);
    // Amendments carry the diff stored when they were written; only older ones are diffed here, against the
    // paragraph they were made on (maybe of an earlier version).
    const paragraphTexts = await this.paragraphs.texts(
      amendments
        .filter((a) => !a.diff)
        .map((a) => a.paragraphId)
        .filter((id): id is string => !!id),
    );
    progress(60, 'paragraph by paragraph');
    const clusterViews = clusters.map((k) => ({
      id: k.id,
      status: k.status,
      count: k.count,
      representative: k.representativeTrackingNumber,
      representativeId: k.representativeId,
      lineageKey: k.lineageKey,
    }));
    const paragraphs = doc.sections
      .flatMap((s) => s.paragraphs)
      .map((para) => {
        const byKind = { comment: 0, amendment: 0, reply: 0 };
        for (const k of lineage.kinds.filter((r) => r.lineageKey === para.lineageKey))
          byKind[k.kind as keyof typeof byKind] = k.count;
        const endorsementsByGroup: Record<string, number> = {};
        for (const e of lineage.endorsements.filter((r) => r.lineageKey === para.lineageKey))
          endorsementsByGroup[e.group] = e.count;
        const dispositions: Record<string, number> = {};
        for (const d of lineage.dispositions.filter((r) => r.lineageKey === para.lineageKey))
          dispositions[d.disposition] = d.count;
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
            .filter(
              (a) => a.lineageKey === para.lineageKey && a.paragraphId && (a.diff || paragraphTexts.has(a.paragraphId)),
            )
            .map((a) => ({
              contributionId: a.contributionId,
              trackingNumber: a.trackingNumber,
              author: a.author,
              organisation: a.organisation,
              group: a.group,
              comment: a.comment,
              proposedText: a.proposedText,
              endorsements: a.endorsements,
              disposition: a.disposition,
              diff: a.diff ?? wordDiff(paragraphTexts.get(a.paragraphId!)!, a.proposedText),
            })),
        };
      });
    const changes =
      doc.currentVersion > doc.version
        ? await this.documents.diff(doc.id, p, doc.version, doc.version + 1).then((d) => ({
            from: d.from,
            to: d.to,
            summary: d.summary,
            paragraphs: d.paragraphs
              .filter((x) => x.status !== 'unchanged')
              .map((x) => ({ status: x.status, label: (x.to ?? x.from)!.label, ops: x.ops })),
          }))
        : null;
    const data: ReportData = {
      consultation: { id: consultation.id, code: consultation.code, title: consultation.title },
      round: {
        id: round.id,
        name: round.name,
        opensAt: round.opensAt,
        closesAt: round.closesAt,
        closedEarlyAt: round.closedEarlyAt,
      },
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
    const saved = await this.repo.insert({
      consultationId,
      roundId: scope,
      inputs,
      data: data as unknown as Record<string, unknown>,
      contentHash,
      createdBy: p.id,
    });
    this.domain.progress(p.id, { kind: 'report', id: saved.id, consultationId, percent: 100, step: 'done' });
    // The snapshot can be large (the matrix has a row per contribution): the answer names it; GET /api/reports/:id has it all.
    return {
      ...this.map(saved),
      summary: { contributions: data.participation.contributions, contributors: data.participation.contributors },
    };
  }

  /**
   * A report as `p` may read it today: the snapshot under today's visibility policy. Every contribution it quotes
   * that `p` may no longer read as text has its words withheld, and the answer says how many and why. The stored
   * snapshot is not changed; its hash is withheld from a reader from whom words were withheld (it covers them).
   */
  async get(id: string, p: Principal | undefined): Promise<ServedReport> {
    const r = await this.readable(id, p);
    const viewer = await this.contributions.viewer(r.consultationId, p);
    const served = await this.serving.serve(r.consultationId, r.data as unknown as ReportData, viewer);
    return {
      ...this.map(r),
      contentHash: served.redactions.count ? null : r.contentHash,
      data: served.data,
      redactions: served.redactions,
    };
  }

  /**
   * The snapshot exactly as stored, with its content hash, so that it can be verified: for the consultation's
   * chairs, moderators and administrators, who read every contribution's words under the visibility policy anyway.
   */
  async original(id: string, p: Principal | undefined): Promise<ReportResponse & { data: ReportData }> {
    const r = await this.readable(id, p);
    if (!p) throw ReportErrors.originalNeedsSignIn();
    if (!(await this.contributions.viewer(r.consultationId, p)).moderator) throw ReportErrors.originalForbidden();
    return { ...this.map(r), data: r.data as unknown as ReportData, original: true };
  }

  /** The reports of a consultation, newest first; each hash as its served report would show it to `p`. */
  async list(consultationId: string, p: Principal | undefined): Promise<ReportResponse[]> {
    await this.access.readable(consultationId, p);
    const viewer = await this.contributions.viewer(consultationId, p);
    const out: ReportResponse[] = [];
    // One at a time: each snapshot can be large, and a consultation has few reports.
    for (const summary of await this.repo.list(consultationId)) {
      const full = await this.repo.find(summary.id);
      const served = full ? await this.serving.serve(consultationId, full.data as unknown as ReportData, viewer) : null;
      out.push({ ...this.map(summary), contentHash: served && !served.redactions.count ? summary.contentHash : null });
    }
    return out;
  }

  /** A stored report whose consultation `p` may read (404 otherwise: outsiders may not know it exists). */
  private async readable(id: string, p: Principal | undefined): Promise<ReportEntity> {
    const r = await this.repo.find(id);
    if (!r) throw ReportErrors.notFound(id);
    await this.access.readable(r.consultationId, p).catch(() => {
      throw ReportErrors.notFound(id);
    });
    return r;
  }

  private map(r: ReportEntity): ReportResponse {
    return {
      id: r.id,
      consultationId: r.consultationId,
      roundId: r.roundId,
      inputs: r.inputs,
      contentHash: r.contentHash,
      createdAt: r.createdAt.toISOString(),
    };
  }
}
