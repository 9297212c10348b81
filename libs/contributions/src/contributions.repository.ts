import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, SelectQueryBuilder } from 'typeorm';
import { returnedRows, type Tx } from '@plenary/database';
import { openRoundSql, RoundWindow, SubmissionTargets, TargetPlace, trackingSequence } from '@plenary/documents';
import { eventInsertSql, intakeStatusSql, toCommitted } from '@plenary/consultations';
import type { CommittedEvent } from '@plenary/core';
import { Viewer, visibleSql } from './visibility.policy';
import {
  ContributionEntity,
  ContributionRevisionEntity,
  EndorsementEntity,
  GENERAL_LINEAGE,
  IdempotencyKeyEntity,
  SEARCH_CONFIG,
  SEARCH_VECTOR,
} from './contribution.entity';

/** What moderation sets later (the columns start empty). */
export type ModerationState = Pick<
  ContributionEntity,
  | 'moderationReason'
  | 'moderationNote'
  | 'moderatedAt'
  | 'review'
  | 'flagCount'
  | 'disposition'
  | 'dispositionResponse'
  | 'disposedAt'
  | 'resultingParagraphId'
>;

export type NewContribution = Omit<
  ContributionEntity,
  | 'seq'
  | 'tx'
  | 'trackingNumber'
  | 'roundId'
  | 'roundNumber'
  | 'status'
  | 'consultation'
  | 'round'
  | 'document'
  | 'version'
  | 'paragraph'
  | 'parent'
  | 'author'
  | keyof ModerationState
>;

export type InsertOutcome =
  | {
      kind: 'inserted';
      seq: number;
      tx: number;
      trackingNumber: string;
      roundId: string;
      roundNumber: number;
      status: string;
      event: CommittedEvent;
    }
  | { kind: 'no_open_round' }
  | { kind: 'key_taken' };

/** The fixed facts about where a contribution goes: its place, and its consultation's code (for tracking numbers). */
export type TargetFacts = TargetPlace & { consultationCode: string };

/** The target with what may change: the consultation's state and the rounds on the version (to explain a refusal). */
export interface SubmissionContext extends TargetFacts {
  consultationStatus: string;
  moderationPolicy: string;
  rounds: RoundWindow[];
}

export interface ContributionFilter {
  consultationId: string;
  documentId?: string;
  lineageKey?: string;
  group?: string;
  region?: string;
  country?: string;
  kind?: string;
  status?: string;
  q?: string;
  authorId?: string;
  after?: { tx: number; seq: number };
  order: 'asc' | 'desc';
  limit: number;
}

const INSERT_COLUMNS: (keyof NewContribution)[] = [
  'id',
  'consultationId',
  'documentId',
  'versionId',
  'versionNumber',
  'paragraphId',
  'paragraphLabel',
  'lineageKey',
  'kind',
  'parentId',
  'threadRootId',
  'depth',
  'body',
  'proposedText',
  'diff',
  'onBehalfOf',
  'contentHash',
  'authorId',
  'authorName',
  'authorGroup',
  'authorOrganisation',
  'authorCountry',
  'authorRegion',
  'authorCapacity',
  'authorVerified',
  'submittedAt',
  'editedAt',
  'editCount',
  'withdrawnAt',
  'endorsementCount',
];
/** After this long a submission's single statement has committed or failed: its row is listed whatever else runs. */
export const SETTLE_SECONDS = 2;

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** All SQL of contributions, revisions, endorsements and idempotency keys. */
@Injectable()
export class ContributionsRepository {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly targets: SubmissionTargets,
  ) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /**
   * Inserts a contribution in one statement (so one implicit transaction): finds the round open at `now` on the
   * target's version (in an open consultation), claims the Idempotency-Key if one is given, and only then draws the
   * round's next tracking number and the arrival number, and writes the row with the status the consultation's
   * moderation policy gives. Either all of it happens or none. Numbers come from sequences, so concurrent
   * submissions never wait for each other's commit.
   */
  async insert(
    row: NewContribution,
    target: TargetFacts,
    now: Date,
    eventData: Record<string, unknown>,
    idempotency?: { key: string; requestHash: string; expiredBefore: Date },
  ): Promise<InsertOutcome> {
    const params: unknown[] = [target.versionId, now];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    let keyCte = '';
    if (idempotency) {
      keyCte = `, k AS (
        INSERT INTO idempotency_keys (user_id, key, request_hash, contribution_id, created_at)
        SELECT ${p(row.authorId)}::uuid, ${p(idempotency.key)}, ${p(idempotency.requestHash)}, ${p(row.id)}::uuid, $2 FROM ok
        ON CONFLICT (user_id, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, contribution_id = EXCLUDED.contribution_id, created_at = EXCLUDED.created_at
          WHERE idempotency_keys.created_at <= ${p(idempotency.expiredBefore)}
        RETURNING 1)`;
    }
    // jsonb from text: node-postgres would send a JS array as a PostgreSQL array.
    const values = INSERT_COLUMNS.map((c) =>
      c === 'diff' ? `${p(row.diff === null ? null : JSON.stringify(row.diff))}::jsonb` : p(row[c]),
    );
    const consultation = p(row.consultationId);
    const sql = `
      WITH ok AS (
        SELECT o.round_id, o.round_number, i.status
          FROM (${openRoundSql({ version: '$1::uuid', now: '$2::timestamptz' })}) o,
               (${intakeStatusSql(`${consultation}::uuid`)}) i
      )${keyCte},
      numbered AS (
        SELECT ok.*, nextval(('tracking_' || replace(ok.round_id::text, '-', ''))::regclass) AS n FROM ok${idempotency ? ', k' : ''}
      ),
      ins AS (
        INSERT INTO contributions (seq, tx, tracking_number, round_id, round_number, status, ${INSERT_COLUMNS.map(snake).join(', ')})
        SELECT nextval('contribution_seq'), pg_current_xact_id()::text::bigint,
               ${p(target.consultationCode)} || '-R' || round_number || '-' || lpad(n::text, greatest(6, length(n::text)), '0'),
               round_id, round_number, status, ${values.join(', ')}
          FROM numbered
        RETURNING seq, tx, tracking_number, round_id, round_number, status
      ),
      ${eventInsertSql({
        consultation: `${consultation}::uuid`,
        type: `CASE WHEN ins.status = 'published' THEN 'contribution.published' ELSE 'contribution.submitted' END`,
        audience: `CASE WHEN ins.status = 'published' THEN 'public' ELSE 'moderators' END`,
        subject: `${p(row.authorId)}::uuid`,
        data: `${p(JSON.stringify(eventData))}::jsonb || jsonb_build_object('trackingNumber', ins.tracking_number, 'roundId', ins.round_id,
                 'round', 'R' || ins.round_number, 'status', ins.status)`,
        from: 'ins',
      })}
      SELECT (SELECT count(*) FROM ok)::int AS open, ins.*, (SELECT row_to_json(ev) FROM ev) AS event
        FROM (SELECT 1) AS one LEFT JOIN ins ON true`;
    let res: {
      open: number;
      seq: string | null;
      tx: string;
      tracking_number: string;
      round_id: string;
      round_number: number;
      status: string;
      event: Parameters<typeof toCommitted>[0];
    };
    try {
      [res] = await this.hotQuery<typeof res>(
        idempotency ? 'plenary_contribution_insert_keyed' : 'plenary_contribution_insert',
        sql,
        params,
      );
    } catch (e) {
      // A round made before tracking sequences existed: make its sequence and try once more.
      const code =
        (e as { code?: string; driverError?: { code?: string } }).code ??
        (e as { driverError?: { code?: string } }).driverError?.code;
      if (code !== '42P01' || this.retried.has(target.versionId)) throw e;
      this.retried.add(target.versionId);
      for (const id of await this.targets.roundIdsOfVersion(target.versionId))
        await this.ds.query(`CREATE SEQUENCE IF NOT EXISTS ${trackingSequence(id)}`);
      return this.insert(row, target, now, eventData, idempotency);
    }
    if (res.seq !== null && res.seq !== undefined) {
      return {
        kind: 'inserted',
        seq: Number(res.seq),
        tx: Number(res.tx),
        trackingNumber: res.tracking_number,
        roundId: res.round_id,
        roundNumber: res.round_number,
        status: res.status,
        event: toCommitted(res.event),
      };
    }
    return res.open ? { kind: 'key_taken' } : { kind: 'no_open_round' };
  }

  private readonly retried = new Set<string>();
  private namedStatements?: Promise<boolean>;

  /**
   * Runs a statement of the submission path as a named prepared statement, so PostgreSQL parses and plans it once
   * per connection rather than on every submission. Not on the embedded database, whose connections share one
   * session (a name prepared by one would clash with the same name from another).
   */
  private async hotQuery<Row>(name: string, text: string, values: unknown[]): Promise<Row[]> {
    this.namedStatements ??= this.ds.query('SELECT version() AS v').then(([r]) => !String(r.v).includes('PGlite'));
    if (!(await this.namedStatements)) return this.ds.query(text, values);
    const pool = (
      this.ds.driver as unknown as {
        master: { query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }> };
      }
    ).master;
    return (await pool.query({ name, text, values })).rows;
  }

  findIdempotencyKey(userId: string, key: string): Promise<IdempotencyKeyEntity | null> {
    return this.ds.manager.findOne(IdempotencyKeyEntity, { where: { userId, key } });
  }

  findById(id: string, tx: Tx = this.ds.manager): Promise<ContributionEntity | null> {
    return tx.findOne(ContributionEntity, { where: { id } });
  }

  lockById(id: string, tx: Tx): Promise<ContributionEntity | null> {
    return tx.findOne(ContributionEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async saveRevision(row: Omit<ContributionRevisionEntity, 'id' | 'contribution'>, tx: Tx): Promise<void> {
    await tx.insert(ContributionRevisionEntity, row);
  }

  revisions(contributionId: string): Promise<ContributionRevisionEntity[]> {
    return this.ds.manager.find(ContributionRevisionEntity, { where: { contributionId }, order: { revision: 'ASC' } });
  }

  async update(
    id: string,
    patch: Partial<
      Pick<
        ContributionEntity,
        | 'body'
        | 'proposedText'
        | 'diff'
        | 'onBehalfOf'
        | 'contentHash'
        | 'editedAt'
        | 'editCount'
        | 'status'
        | 'withdrawnAt'
      >
    >,
    tx: Tx,
  ): Promise<void> {
    await tx.update(ContributionEntity, { id }, patch);
  }

  /** One page of a consultation's contributions, in (tx, seq) order after the cursor. */
  list(f: ContributionFilter, viewer: Viewer): Promise<ContributionEntity[]> {
    const qb = this.visible(this.ds.manager.createQueryBuilder(ContributionEntity, 'c'), viewer).andWhere(
      'c.consultation_id = :cid',
      {
        cid: f.consultationId,
      },
    );
    if (f.documentId) qb.andWhere('c.document_id = :doc', { doc: f.documentId });
    if (f.lineageKey) qb.andWhere('c.lineage_key = :lk', { lk: f.lineageKey });
    if (f.group) qb.andWhere('c.author_group = :group', { group: f.group });
    if (f.region) qb.andWhere('c.author_region = :region', { region: f.region });
    if (f.country) qb.andWhere('c.author_country = :country', { country: f.country });
    if (f.kind) qb.andWhere('c.kind = :kind', { kind: f.kind });
    if (f.status) qb.andWhere('c.status = :status', { status: f.status });
    if (f.authorId) qb.andWhere('c.author_id = :author', { author: f.authorId });
    // Search matches only words the reader may read: a hidden text must not answer guesses about itself.
    if (f.q)
      qb.andWhere(
        `${SEARCH_VECTOR} @@ websearch_to_tsquery('${SEARCH_CONFIG}', :q) AND ${this.policy(qb, viewer, 'text')}`,
        { q: f.q },
      );
    // Only settled rows: those whose transaction is older than every transaction still running, so nothing can
    // later appear behind the cursor; and, so that a long transaction elsewhere on the server does not hold new
    // contributions back, any row submitted more than SETTLE_SECONDS ago (a submission is one short statement).
    qb.andWhere(
      `(c.tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint OR c.submitted_at < now() - interval '${SETTLE_SECONDS} seconds')`,
    );
    if (f.after)
      qb.andWhere(`(c.tx, c.seq) ${f.order === 'asc' ? '>' : '<'} (:afterTx, :afterSeq)`, {
        afterTx: f.after.tx,
        afterSeq: f.after.seq,
      });
    const dir = f.order === 'asc' ? 'ASC' : 'DESC';
    return qb.orderBy('c.tx', dir).addOrderBy('c.seq', dir).limit(f.limit).getMany();
  }

  /**
   * A page of a thread: visible top-level contributions on a paragraph's lineage (or the document's general
   * comments) after `afterSeq`, oldest first (limit + 1, to know whether there is more), and the visible replies of
   * the first `limit` of them.
   */
  async threadPage(documentId: string, lineageKey: string | null, viewer: Viewer, afterSeq: number, limit: number) {
    const qb = this.visible(this.ds.manager.createQueryBuilder(ContributionEntity, 'c'), viewer)
      .andWhere('c.document_id = :doc', { doc: documentId })
      .andWhere('c.depth = 0')
      .andWhere('c.seq > :after', { after: afterSeq });
    if (lineageKey) qb.andWhere('c.lineage_key = :lk', { lk: lineageKey });
    else qb.andWhere('c.lineage_key IS NULL');
    const roots = await qb
      .orderBy('c.seq', 'ASC')
      .limit(limit + 1)
      .getMany();
    const ids = roots.slice(0, limit).map((r) => r.id);
    const replies = ids.length
      ? await this.visible(this.ds.manager.createQueryBuilder(ContributionEntity, 'c'), viewer)
          .andWhere('c.thread_root_id IN (:...ids)', { ids })
          .orderBy('c.seq', 'ASC')
          .getMany()
      : [];
    return { roots, replies };
  }

  /** Rows the viewer may see at all (as text or as a trace), by the one visibility policy. */
  private visible(qb: SelectQueryBuilder<ContributionEntity>, v: Viewer): SelectQueryBuilder<ContributionEntity> {
    return qb.where(this.policy(qb, v, 'trace'));
  }

  private policy(qb: SelectQueryBuilder<ContributionEntity>, v: Viewer, min: 'trace' | 'text'): string {
    return visibleSql('c', v, min, (value) => {
      qb.setParameter('policy_viewer', value);
      return ':policy_viewer';
    });
  }

  /** Contributions of one consultation by id (those that exist). */
  findMany(consultationId: string, ids: string[]): Promise<ContributionEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.manager.find(ContributionEntity, { where: { consultationId, id: In(ids) }, order: { seq: 'ASC' } });
  }

  /** Status, author and moderator's reason of some contributions of one consultation (for the visibility policy). */
  async statuses(
    consultationId: string,
    ids: string[],
  ): Promise<{ id: string; status: string; authorId: string; moderationReason: string | null }[]> {
    if (!ids.length) return [];
    const rows: { id: string; status: string; author_id: string; moderation_reason: string | null }[] =
      await this.ds.query(
        `SELECT id, status, author_id, moderation_reason FROM contributions WHERE consultation_id = $1 AND id = ANY($2::uuid[])`,
        [consultationId, ids],
      );
    return rows.map((r) => ({
      id: r.id,
      status: r.status,
      authorId: r.author_id,
      moderationReason: r.moderation_reason,
    }));
  }

  /** Active endorsements per contribution and stakeholder group. */
  async endorsementsByGroup(ids: string[], tx: Tx = this.ds.manager): Promise<Map<string, Record<string, number>>> {
    const map = new Map<string, Record<string, number>>();
    if (!ids.length) return map;
    const rows: { contribution_id: string; user_group: string; n: string }[] = await tx.query(
      `SELECT contribution_id, user_group, count(*) AS n FROM endorsements
        WHERE contribution_id = ANY($1::uuid[]) AND withdrawn_at IS NULL GROUP BY 1, 2`,
      [ids],
    );
    for (const r of rows)
      map.set(r.contribution_id, { ...(map.get(r.contribution_id) ?? {}), [r.user_group]: Number(r.n) });
    return map;
  }

  async endorsedBy(userId: string, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { contribution_id: string }[] = await this.ds.query(
      `SELECT contribution_id FROM endorsements WHERE user_id = $1 AND contribution_id = ANY($2::uuid[]) AND withdrawn_at IS NULL`,
      [userId, ids],
    );
    return new Set(rows.map((r) => r.contribution_id));
  }

  /** Returns false when the user already has an active endorsement (the partial unique index decides). */
  async insertEndorsement(
    row: Omit<EndorsementEntity, 'id' | 'contribution' | 'user' | 'withdrawnAt'>,
    tx: Tx,
  ): Promise<boolean> {
    const res = await tx
      .createQueryBuilder()
      .insert()
      .into(EndorsementEntity)
      .values({ ...row, withdrawnAt: null })
      .orIgnore()
      .returning(['id'])
      .execute();
    if (!res.raw.length) return false;
    await tx.query(`UPDATE contributions SET endorsement_count = endorsement_count + 1 WHERE id = $1`, [
      row.contributionId,
    ]);
    return true;
  }

  async withdrawEndorsement(contributionId: string, userId: string, at: Date, tx: Tx): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE endorsements SET withdrawn_at = $3 WHERE contribution_id = $1 AND user_id = $2 AND withdrawn_at IS NULL RETURNING id`,
      [contributionId, userId, at],
    );
    const changed = returnedRows(rows).length > 0;
    if (changed)
      await tx.query(`UPDATE contributions SET endorsement_count = endorsement_count - 1 WHERE id = $1`, [
        contributionId,
      ]);
    return changed;
  }

  async acceptedByLineage(documentId: string): Promise<Map<string, string[]>> {
    const rows: { lineage_key: string; numbers: string[] }[] = await this.ds.query(
      `SELECT lineage_key, array_agg(tracking_number ORDER BY seq) AS numbers FROM contributions
        WHERE document_id = $1 AND status = 'published' AND disposition IN ('accepted', 'accepted_in_part') AND lineage_key IS NOT NULL
        GROUP BY lineage_key`,
      [documentId],
    );
    return new Map(rows.map((r) => [r.lineage_key, r.numbers]));
  }

  /**
   * Per-paragraph-lineage counts of a document, and its general comments, from the summary table the database keeps
   * (one row per paragraph, however many contributions).
   */
  async documentCounts(
    documentId: string,
  ): Promise<{ lineageKey: string | null; published: number; amendments: number; endorsements: number }[]> {
    const rows: { lineage_key: string; published: number; amendments: number; endorsements: number }[] =
      await this.ds.query(
        `SELECT lineage_key, published, amendments, endorsements FROM paragraph_counts WHERE document_id = $1`,
        [documentId],
      );
    return rows.map((r) => ({
      lineageKey: r.lineage_key === GENERAL_LINEAGE ? null : r.lineage_key,
      published: r.published,
      amendments: r.amendments,
      endorsements: r.endorsements,
    }));
  }
}
