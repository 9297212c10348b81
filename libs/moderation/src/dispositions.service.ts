import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { AuditLog, Principal } from '@plenary/accounts';
import { ConsultationAccess, EventOutbox } from '@plenary/consultations';
import { ContributionEntity } from '@plenary/contributions';
import { Clock, CommittedEvent, DomainEvents } from '@plenary/core';
import type { Tx } from '@plenary/database';
import { DispositionDto } from './dto/moderation.dto';
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
export type MatrixRow = Record<(typeof MATRIX_COLUMNS)[number][0], string | number | null> & { contributionId: string; documentId: string; resultingParagraphId: string | null };

/** The secretariat's answers (dispositions) and the comment-resolution matrix built from them. */
@Injectable()
export class DispositionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DispositionsService.name);
  private stopListening?: () => void;

  constructor(
    private readonly repo: ModerationRepository,
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
        this.linkAfterRevision(e.consultationId, d.documentId, d.versionId, d.publishedBy).catch((err) => this.logger.warn(`linking after revision: ${(err as Error).message}`));
      }
    });
  }

  onModuleDestroy(): void {
    this.stopListening?.();
  }

  async linkAfterRevision(consultationId: string, documentId: string, versionId: string, by: { id: string; name: string }): Promise<number> {
    return this.repo.transaction(async (tx) => {
      const linked = await this.repo.linkAccepted(documentId, versionId, tx);
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

  async forContribution(contributionId: string, p: Principal, dto: DispositionDto): Promise<{ contributionIds: string[] }> {
    const c = await this.repo.findContribution(contributionId);
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
    const ids = await this.repo.activeMemberIds(clusterId);
    await this.dispose(cluster.consultationId, ids, clusterId, p, dto);
    return { contributionIds: ids };
  }

  private async dispose(consultationId: string, ids: string[], clusterId: string | null, p: Principal, dto: DispositionDto): Promise<void> {
    const now = this.clock.now();
    const events = await this.repo.transaction(async (tx) => {
      const rows = await this.repo.lockContributions(ids, tx);
      const all: CommittedEvent[] = [];
      for (const c of rows) {
        if (c.status === 'withdrawn' || c.status === 'pending') throw ModerationErrors.notDisposable(c.status);
        const resulting = await this.resultingParagraph(c, dto, tx);
        await this.repo.patchContributions([c.id], { disposition: dto.disposition, dispositionResponse: dto.response, disposedAt: now, resultingParagraphId: resulting }, tx);
        await this.repo.insertDispositions(
          [{ contributionId: c.id, consultationId, clusterId, disposition: dto.disposition, response: dto.response, resultingParagraphId: resulting, actorId: p.id }],
          tx,
        );
        await this.audit.record(tx, [
          {
            consultationId,
            actor: p,
            action: 'disposition.set',
            subjectType: 'contribution',
            subjectId: c.id,
            reason: dto.response,
            before: c.disposition ? { disposition: c.disposition, response: c.dispositionResponse, resultingParagraphId: c.resultingParagraphId } : null,
            after: { disposition: dto.disposition, resultingParagraphId: resulting, ...(clusterId ? { clusterId } : {}) },
          },
        ]);
        all.push(
          ...(await this.outbox.append(tx, consultationId, [
            {
              type: 'contribution.disposed',
              audience: c.status === 'published' ? 'public' : 'moderators',
              subjectUserId: c.authorId,
              data: { id: c.id, trackingNumber: c.trackingNumber, disposition: dto.disposition, response: dto.response, resultingParagraphId: resulting },
            },
          ])),
        );
      }
      return all;
    });
    this.outbox.announce(events);
  }

  /**
   * Where an accepted contribution went: the paragraph given (it must be in a later version of the same document),
   * or else, for an accepted amendment or comment on a paragraph, its descendant in the current version if that
   * version is later than the one the contribution was made on.
   */
  private async resultingParagraph(c: ContributionEntity, dto: DispositionDto, tx: Tx): Promise<string | null> {
    if (dto.resultingParagraphId) {
      if (!(await this.repo.laterParagraph(dto.resultingParagraphId, c.documentId, c.versionNumber, tx))) throw ModerationErrors.badResultingParagraph();
      return dto.resultingParagraphId;
    }
    if ((dto.disposition === 'accepted' || dto.disposition === 'accepted_in_part') && c.lineageKey) {
      return this.repo.descendantInCurrent(c.documentId, c.lineageKey, c.versionNumber, tx);
    }
    return null;
  }

  /**
   * The comment-resolution matrix. Moderators and chairs get every contribution but withdrawn ones (with status);
   * everyone else the published ones.
   */
  async matrix(consultationId: string, p: Principal | undefined, documentId?: string, limit?: number): Promise<MatrixRow[]> {
    await this.access.readable(consultationId, p);
    const full = await this.access.isModerator(consultationId, p);
    const rows = await this.repo.matrixRows(consultationId, documentId, !full, limit);
    return rows.map((r) => ({
      contributionId: r.id as string,
      documentId: r.document_id as string,
      resultingParagraphId: (r.resulting_paragraph_id as string | null) ?? null,
      trackingNumber: r.tracking_number as string,
      submitter: r.author_name as string,
      organisation: r.organisation as string,
      group: r.author_group as string,
      country: r.author_country as string,
      region: r.author_region as string,
      paragraph: (r.paragraph_label as string | null) ?? 'general',
      version: r.version_number as number,
      kind: r.kind as string,
      comment: r.status === 'hidden' ? '' : (r.body as string),
      proposedChange: r.status === 'hidden' ? null : (r.proposed_text as string | null),
      status: r.status as string,
      disposition: (r.disposition as string | null) ?? null,
      response: (r.disposition_response as string | null) ?? null,
      resultingParagraph: r.resulting_label ? `${r.resulting_label} (v${r.resulting_version})` : null,
      submittedAt: new Date(r.submitted_at as string).toISOString(),
    }));
  }

  /** The matrix as CSV (UTF-8 with BOM so Excel opens accents right), streamed row by row. */
  async matrixCsv(consultationId: string, p: Principal | undefined, documentId?: string): Promise<Readable> {
    const rows = await this.matrix(consultationId, p, documentId);
    const csv = stringify({ header: true, bom: true, columns: MATRIX_COLUMNS.map(([key, header]) => ({ key, header })) });
    Readable.from(rows).pipe(csv);
    return csv;
  }
}
