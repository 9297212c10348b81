import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { AuditLog, Principal } from '@plenary/accounts';
import { ConsultationAccess, EventOutbox } from '@plenary/consultations';
import {
  atLeast,
  ContributionRecord,
  contributionRef,
  ContributionRecordsService,
  ContributionsService,
  MatrixSource,
  sight,
  Viewer,
} from '@plenary/contributions';
import { Clock, csvSafeRow, DomainEvents } from '@plenary/core';
import type { Tx } from '@plenary/database';
import { ParagraphLookup, ParagraphPlace } from '@plenary/documents';
import { DispositionDto } from './dto/moderation.dto';
import { CARRIED_DISPOSITIONS } from './moderation.entity';
import { ModerationErrors } from './moderation.errors';
import { ModerationRepository } from './moderation.repository';

export const MATRIX_COLUMNS = [
  ['trackingNumber', 'Id'],
  ['submitter', 'Submitter'],
  ['organisation', 'Organisation'],
  ['group', 'Stakeholder group'],
  ['country', 'Country'],
  ['region', 'Regional group'],
  ['paragraph', 'Paragraph'],
  ['version', 'Version'],
  ['kind', 'Type'],
  ['comment', 'Comment'],
  ['proposedChange', 'Proposed change'],
  ['status', 'Status'],
  ['disposition', 'Disposition'],
  ['response', 'Response of the secretariat'],
  ['resultingParagraph', 'Resulting paragraph'],
  ['submittedAt', 'Submitted'],
] as const;

/** A row of the matrix: its columns, and the ids behind them (so a row can be edited in place and traced). */
export type MatrixRow = Record<(typeof MATRIX_COLUMNS)[number][0], string | number | null> & {
  contributionId: string;
  documentId: string;
  resultingParagraphId: string | null;
};

/** The secretariat's answers (dispositions) and the comment-resolution matrix built from them. */
@Injectable()
export class DispositionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DispositionsService.name);
  private stopListening?: () => void;

  constructor(
    private readonly repo: ModerationRepository,
    private readonly records: ContributionRecordsService,
    private readonly contributions: ContributionsService,
    private readonly paragraphs: ParagraphLookup,
    private readonly access: ConsultationAccess,
    private readonly outbox: EventOutbox,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly domain: DomainEvents,
  ) {}

  /** When a revision is published, accepted contributions are linked to the paragraph that now carries them. */
  onModuleInit(): void {
    this.stopListening = this.domain.onCommitted((events) => {
      for (const e of events) {
        if (e.type !== 'version.published') continue;
        const d = e.data as { documentId: string; versionId: string; publishedBy: { id: string; name: string } };
        this.linkAfterRevision(e.consultationId, d.documentId, d.versionId, d.publishedBy).catch((err) =>
          this.logger.warn(`linking after revision: ${(err as Error).message}`),
        );
      }
    });
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  async linkAfterRevision(
    consultationId: string,
    documentId: string,
    versionId: string,
    by: { id: string; name: string },
  ): Promise<number> {
    return this.repo.transaction(async (tx) => {
      const byLineage = await this.paragraphs.lineagesOfVersion(versionId, tx);
      const linked = await this.records.linkAccepted(documentId, byLineage, CARRIED_DISPOSITIONS, tx);
      await this.audit.record(
        tx,
        linked.map((l) => ({
          consultationId,
          actor: { id: by.id, displayName: by.name },
          action: 'disposition.linked',
          subjectType: 'contribution',
          subjectId: l.id,
          reason: 'Accepted contribution linked to the paragraph of the new version that carries it.',
          before: { resultingParagraphId: null },
          after: { resultingParagraphId: l.paragraphId },
        })),
      );
      return linked.length;
    });
  }

  async forContribution(
    contributionId: string,
    p: Principal,
    dto: DispositionDto,
  ): Promise<{ contributionIds: string[] }> {
    const c = await this.records.find(contributionId);
    if (!c) throw ModerationErrors.contributionNotFound(contributionId);
    await this.access.requireModerator(c.consultationId, p);
    await this.dispose(c.consultationId, [contributionId], null, p, dto);
    return { contributionIds: [contributionId] };
  }

  /** One answer for a whole cluster: every active member gets it (each keeps its own row and history). */
  async forCluster(clusterId: string, p: Principal, dto: DispositionDto): Promise<{ contributionIds: string[] }> {
    const cluster = await this.repo.findCluster(clusterId);
    if (!cluster) throw ModerationErrors.clusterNotFound(clusterId);
    await this.access.requireModerator(cluster.consultationId, p);
    if (cluster.status === 'dissolved') throw ModerationErrors.clusterClosed(cluster.status);
    const ids = await this.dispose(
      cluster.consultationId,
      await this.repo.activeMemberIds(clusterId),
      clusterId,
      p,
      dto,
    );
    return { contributionIds: ids };
  }

  /**
   * The same answer on every contribution given, in a few statements however many (a campaign can be large).
   * Returns their ids in arrival order.
   */
  private async dispose(
    consultationId: string,
    ids: string[],
    clusterId: string | null,
    p: Principal,
    dto: DispositionDto,
  ): Promise<string[]> {
    const now = this.clock.now();
    const { disposed, events } = await this.repo.transaction(async (tx) => {
      const rows = await this.records.lockForDecision(ids, tx);
      const refused = rows.find((c) => c.status === 'withdrawn' || c.status === 'pending');
      if (refused) throw ModerationErrors.notDisposable(refused.status);
      const resulting = await this.resultingParagraphs(rows, dto, tx);
      await this.records.setDisposition(
        rows.map((c) => ({ id: c.id, resultingParagraphId: resulting.get(c.id) ?? null })),
        { disposition: dto.disposition, response: dto.response, at: now },
        tx,
      );
      await this.repo.insertDispositions(
        rows.map((c) => ({
          contributionId: c.id,
          consultationId,
          clusterId,
          disposition: dto.disposition,
          response: dto.response,
          resultingParagraphId: resulting.get(c.id) ?? null,
          actorId: p.id,
        })),
        tx,
      );
      await this.audit.record(
        tx,
        rows.map((c) => ({
          consultationId,
          actor: p,
          action: 'disposition.set',
          subjectType: 'contribution',
          subjectId: c.id,
          reason: dto.response,
          before: c.disposition
            ? {
                disposition: c.disposition,
                response: c.dispositionResponse,
                resultingParagraphId: c.resultingParagraphId,
              }
            : null,
          after: {
            disposition: dto.disposition,
            resultingParagraphId: resulting.get(c.id) ?? null,
            ...(clusterId ? { clusterId } : {}),
          },
        })),
      );
      // The disposition's code and where it led; its response text is read with the contribution when delivered.
      const events = await this.outbox.append(
        tx,
        consultationId,
        rows.map((c) => ({
          type: 'contribution.disposed',
          audience: c.status === 'published' ? ('public' as const) : ('moderators' as const),
          subjectUserId: c.authorId,
          data: {
            ...contributionRef(c),
            status: c.status,
            disposition: dto.disposition,
            resultingParagraphId: resulting.get(c.id) ?? null,
            ...(clusterId ? { clusterId } : {}),
          },
        })),
      );
      return { disposed: rows.map((c) => c.id), events };
    });
    this.outbox.announce(events);
    return disposed;
  }

  /**
   * Where each accepted contribution went: the paragraph given (it must be in a later version of the same document),
   * or else, for an accepted amendment or comment on a paragraph, its descendant in the current version if that
   * version is later than the one the contribution was made on. One lookup for all of them.
   */
  private async resultingParagraphs(
    rows: ContributionRecord[],
    dto: DispositionDto,
    tx: Tx,
  ): Promise<Map<string, string | null>> {
    if (dto.resultingParagraphId) {
      const place = await this.paragraphs.place(dto.resultingParagraphId, tx);
      if (rows.some((c) => !place || place.documentId !== c.documentId || place.versionNumber <= c.versionNumber))
        throw ModerationErrors.badResultingParagraph();
      return new Map(rows.map((c) => [c.id, dto.resultingParagraphId!]));
    }
    if (!CARRIED_DISPOSITIONS.includes(dto.disposition)) return new Map();
    const onParagraphs = rows.filter((c): c is ContributionRecord & { lineageKey: string } => c.lineageKey !== null);
    const current = await this.paragraphs.inCurrentVersion(
      onParagraphs.map((c) => ({ documentId: c.documentId, lineageKey: c.lineageKey })),
      tx,
    );
    const byPlace = new Map(current.map((x) => [`${x.documentId}|${x.lineageKey}`, x]));
    return new Map(
      onParagraphs.map((c) => {
        const found = byPlace.get(`${c.documentId}|${c.lineageKey}`);
        return [c.id, found && found.versionNumber > c.versionNumber ? found.paragraphId : null];
      }),
    );
  }

  /**
   * The comment-resolution matrix, under the visibility policy: moderators and chairs get every contribution but
   * withdrawn ones (with status); everyone else those they may read (the published ones, and their own). The text of
   * a hidden contribution is never in it, whoever asks: the matrix is a document meant to be passed on.
   */
  async matrix(
    consultationId: string,
    p: Principal | undefined,
    documentId?: string,
    limit?: number,
  ): Promise<MatrixRow[]> {
    await this.access.readable(consultationId, p);
    const viewer = await this.contributions.viewer(consultationId, p);
    const rows = await this.records.matrixRows(consultationId, documentId, viewer, limit);
    const places = await this.paragraphs.places(
      rows.map((r) => r.resultingParagraphId).filter((id): id is string => id !== null),
    );
    return rows.map((r) => matrixRow(r, viewer, places));
  }

  /** The matrix as CSV (UTF-8 with BOM so Excel opens accents right), streamed row by row; no cell can start a formula. */
  async matrixCsv(consultationId: string, p: Principal | undefined, documentId?: string): Promise<Readable> {
    const rows = await this.matrix(consultationId, p, documentId);
    const csv = stringify({
      header: true,
      bom: true,
      columns: MATRIX_COLUMNS.map(([key, header]) => ({ key, header })),
    });
    Readable.from(rows.map((r) => csvSafeRow(r))).pipe(csv);
    return csv;
  }
}

/** One matrix row as `viewer` may read it: the words only where the policy gives them the text. */
function matrixRow(r: MatrixSource, viewer: Viewer, places: Map<string, ParagraphPlace>): MatrixRow {
  const words = atLeast(sight(r, viewer), 'text') && r.status !== 'hidden';
  const resulting = r.resultingParagraphId ? places.get(r.resultingParagraphId) : undefined;
  return {
    contributionId: r.id,
    documentId: r.documentId,
    resultingParagraphId: r.resultingParagraphId,
    trackingNumber: r.trackingNumber,
    submitter: r.authorName,
    organisation: words ? (r.onBehalfOf ?? r.authorOrganisation) : r.authorOrganisation,
    group: r.group,
    country: r.country,
    region: r.region,
    paragraph: r.paragraphLabel ?? 'general',
    version: r.versionNumber,
    kind: r.kind,
    comment: words ? r.body : '',
    proposedChange: words ? r.proposedText : null,
    status: r.status,
    disposition: r.disposition,
    response: r.dispositionResponse,
    resultingParagraph: resulting ? `${resulting.label} (v${resulting.versionNumber})` : null,
    submittedAt: r.submittedAt.toISOString(),
  };
}
