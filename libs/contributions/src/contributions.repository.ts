import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import type { Tx } from '@plenary/database';
import {
  ContributionEntity,
  ContributionRevisionEntity,
  EndorsementEntity,
  IdempotencyKeyEntity,
  SEARCH_CONFIG,
  SEARCH_VECTOR,
} from './contribution.entity';

/** Everything a submission needs to know, read in one query. */
export interface SubmissionContext {
  paragraphId: string | null;
  paragraphLabel: string | null;
  paragraphText: string | null;
  lineageKey: string | null;
  versionId: string;
  versionNumber: number;
  documentId: string;
  consultationId: string;
  consultationCode: string;
  consultationStatus: string;
  moderationPolicy: string;
  rounds: { id: string; number: number; opensAt: Date; closesAt: Date; closedEarlyAt: Date | null }[];
  /** The caller's profile now, to be copied onto the contribution (null when no user was asked for). */
  author: AuthorProfile | null;
}

export interface AuthorProfile {
  id: string;
  displayName: string;
  stakeholderGroup: string;
  organisation: string;
  country: string;
  region: string;
  capacity: string;
  verified: boolean;
}

export type NewContribution = Omit<ContributionEntity, 'seq' | 'trackingNumber' | 'consultation' | 'round' | 'document' | 'version' | 'paragraph' | 'parent' | 'author'>;

export type InsertOutcome =
  | { kind: 'inserted'; seq: number; trackingNumber: string }
  | { kind: 'round_closed' }
  | { kind: 'key_taken' };

/** Who is reading: decides which statuses a list may show. */
export type Visibility = { kind: 'all' } | { kind: 'published_or_own'; userId: string } | { kind: 'published' };

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
  after?: number;
  order: 'asc' | 'desc';
  limit: number;
}

const COLUMNS: (keyof NewContribution)[] = [
  'id', 'consultationId', 'roundId', 'roundNumber', 'documentId', 'versionId', 'versionNumber', 'paragraphId', 'paragraphLabel',
  'lineageKey', 'kind', 'parentId', 'threadRootId', 'depth', 'status', 'body', 'proposedText', 'onBehalfOf', 'contentHash',
  'authorId', 'authorName', 'authorGroup', 'authorOrganisation', 'authorCountry', 'authorRegion', 'authorCapacity', 'authorVerified',
  'submittedAt', 'editedAt', 'editCount', 'withdrawnAt', 'endorsementCount',
];
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** All SQL of contributions, revisions, endorsements and idempotency keys. */
@Injectable()
export class ContributionsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  /**
   * The paragraph (or, for a general comment, the document's current version), its document and consultation,
   * and the rounds on that version: one round trip.
   */
  async submissionContext(target: { paragraphId: string } | { documentId: string }, userId?: string): Promise<SubmissionContext | null> {
    const byParagraph = 'paragraphId' in target;
    const rows = await this.ds.query(
      `SELECT ${byParagraph ? 'p.id AS paragraph_id, p.label, p.text, p.lineage_key' : 'NULL::uuid AS paragraph_id, NULL AS label, NULL AS text, NULL::uuid AS lineage_key'},
              v.id AS version_id, v.number AS version_number, d.id AS document_id,
              c.id AS consultation_id, c.code, c.status, c.moderation_policy,
              coalesce((SELECT json_agg(json_build_object('id', r.id, 'number', r.number, 'opensAt', r.opens_at,
                         'closesAt', r.closes_at, 'closedEarlyAt', r.closed_early_at) ORDER BY r.opens_at)
                        FROM rounds r WHERE r.version_id = v.id), '[]') AS rounds,
              (SELECT json_build_object('id', u.id, 'displayName', u.display_name, 'stakeholderGroup', u.stakeholder_group,
                        'organisation', u.organisation, 'country', u.country, 'region', u.region, 'capacity', u.capacity,
                        'verified', u.verified) FROM users u WHERE u.id = $2) AS author
         FROM ${byParagraph ? 'paragraphs p JOIN document_versions v ON v.id = p.version_id JOIN documents d ON d.id = v.document_id' : 'documents d JOIN document_versions v ON v.document_id = d.id AND v.number = d.current_version'}
         JOIN consultations c ON c.id = d.consultation_id
        WHERE ${byParagraph ? 'p.id' : 'd.id'} = $1`,
      [byParagraph ? target.paragraphId : target.documentId, userId ?? null],
    );
    if (!rows.length) return null;
    const r = rows[0];
    return {
      paragraphId: r.paragraph_id,
      paragraphLabel: r.label,
      paragraphText: r.text,
      lineageKey: r.lineage_key,
      versionId: r.version_id,
      versionNumber: r.version_number,
      documentId: r.document_id,
      consultationId: r.consultation_id,
      consultationCode: r.code,
      consultationStatus: r.status,
      moderationPolicy: r.moderation_policy,
      rounds: (r.rounds as { id: string; number: number; opensAt: string; closesAt: string; closedEarlyAt: string | null }[]).map((x) => ({
        id: x.id,
        number: x.number,
        opensAt: new Date(x.opensAt),
        closesAt: new Date(x.closesAt),
        closedEarlyAt: x.closedEarlyAt ? new Date(x.closedEarlyAt) : null,
      })),
      author: r.author,
    };
  }

  async authorProfile(userId: string, tx: Tx = this.ds.manager): Promise<AuthorProfile | null> {
    const rows = await tx.query(
      `SELECT id, display_name, stakeholder_group, organisation, country, region, capacity, verified FROM users WHERE id = $1`,
      [userId],
    );
    if (!rows.length) return null;
    const u = rows[0];
    return {
      id: u.id,
      displayName: u.display_name,
      stakeholderGroup: u.stakeholder_group,
      organisation: u.organisation,
      country: u.country,
      region: u.region,
      capacity: u.capacity,
      verified: u.verified,
    };
  }

  async moderationPolicy(consultationId: string, tx: Tx): Promise<string> {
    const [r] = await tx.query(`SELECT moderation_policy FROM consultations WHERE id = $1`, [consultationId]);
    return r.moderation_policy;
  }

  /** Is a round open on this document (any version) at `now`? */
  async documentRoundOpen(documentId: string, now: Date, tx: Tx): Promise<boolean> {
    const rows = await tx.query(
      `SELECT 1 FROM rounds WHERE document_id = $1 AND opens_at <= $2 AND closes_at > $2 AND (closed_early_at IS NULL OR closed_early_at > $2) LIMIT 1`,
      [documentId, now],
    );
    return rows.length > 0;
  }

  /**
   * Inserts a contribution in one statement (so one implicit transaction): checks the round is open at `now`,
   * claims the Idempotency-Key if one is given, issues the round's next tracking number and the consultation's
   * next sequence number under the counters' row locks, and writes the row. Either all of it happens or none.
   */
  async insert(
    row: NewContribution,
    trackingPrefix: string,
    now: Date,
    idempotency?: { key: string; requestHash: string; expiredBefore: Date },
  ): Promise<InsertOutcome> {
    const params: unknown[] = [row.roundId, now, row.consultationId];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    let gate = 'ok';
    let keyCte = '';
    if (idempotency) {
      keyCte = `, k AS (
        INSERT INTO idempotency_keys (user_id, key, request_hash, contribution_id, created_at)
        SELECT ${p(row.authorId)}::uuid, ${p(idempotency.key)}, ${p(idempotency.requestHash)}, ${p(row.id)}::uuid, $2 FROM ok
        ON CONFLICT (user_id, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, contribution_id = EXCLUDED.contribution_id, created_at = EXCLUDED.created_at
          WHERE idempotency_keys.created_at <= ${p(idempotency.expiredBefore)}
        RETURNING 1)`;
      gate = 'k';
    }
    const values = COLUMNS.map((c) => p(row[c]));
    const sql = `
      WITH ok AS (
        SELECT 1 FROM rounds
         WHERE id = $1 AND opens_at <= $2 AND closes_at > $2 AND (closed_early_at IS NULL OR closed_early_at > $2)
      )${keyCte},
      r AS (
        INSERT INTO contribution_counters (scope_id, value) SELECT $1::uuid, 1 FROM ${gate}
        ON CONFLICT (scope_id) DO UPDATE SET value = contribution_counters.value + 1 RETURNING value
      ),
      c AS (
        INSERT INTO contribution_counters (scope_id, value) SELECT $3::uuid, 1 FROM r
        ON CONFLICT (scope_id) DO UPDATE SET value = contribution_counters.value + 1 RETURNING value
      ),
      ins AS (
        INSERT INTO contributions (seq, tracking_number, ${COLUMNS.map(snake).join(', ')})
        SELECT c.value, ${p(trackingPrefix)} || lpad(r.value::text, greatest(6, length(r.value::text)), '0'), ${values.join(', ')}
          FROM r, c
        RETURNING seq, tracking_number
      )
      SELECT (SELECT count(*) FROM ok)::int AS open, ins.seq, ins.tracking_number FROM (SELECT 1) AS one LEFT JOIN ins ON true`;
    const [res] = await this.ds.query(sql, params);
    if (res.seq !== null && res.seq !== undefined) return { kind: 'inserted', seq: Number(res.seq), trackingNumber: res.tracking_number };
    return res.open ? { kind: 'key_taken' } : { kind: 'round_closed' };
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

  async roundWindow(roundId: string, tx: Tx = this.ds.manager): Promise<SubmissionContext['rounds'][number]> {
    const [r] = await tx.query(`SELECT id, number, opens_at, closes_at, closed_early_at FROM rounds WHERE id = $1`, [roundId]);
    return { id: r.id, number: r.number, opensAt: r.opens_at, closesAt: r.closes_at, closedEarlyAt: r.closed_early_at };
  }

  async saveRevision(row: Omit<ContributionRevisionEntity, 'id' | 'contribution'>, tx: Tx): Promise<void> {
    await tx.insert(ContributionRevisionEntity, row);
  }

  revisions(contributionId: string): Promise<ContributionRevisionEntity[]> {
    return this.ds.manager.find(ContributionRevisionEntity, { where: { contributionId }, order: { revision: 'ASC' } });
  }

  async update(id: string, patch: Partial<NewContribution>, tx: Tx): Promise<void> {
    await tx.update(ContributionEntity, { id }, patch);
  }

  /** One page of a consultation's contributions, in `seq` order after the cursor. */
  list(f: ContributionFilter, visibility: Visibility): Promise<ContributionEntity[]> {
    const qb = this.visible(this.ds.manager.createQueryBuilder(ContributionEntity, 'c'), visibility).andWhere('c.consultation_id = :cid', {
      cid: f.consultationId,
    });
    if (f.documentId) qb.andWhere('c.document_id = :doc', { doc: f.documentId });
    if (f.lineageKey) qb.andWhere('c.lineage_key = :lk', { lk: f.lineageKey });
    if (f.group) qb.andWhere('c.author_group = :group', { group: f.group });
    if (f.region) qb.andWhere('c.author_region = :region', { region: f.region });
    if (f.country) qb.andWhere('c.author_country = :country', { country: f.country });
    if (f.kind) qb.andWhere('c.kind = :kind', { kind: f.kind });
    if (f.status) qb.andWhere('c.status = :status', { status: f.status });
    if (f.authorId) qb.andWhere('c.author_id = :author', { author: f.authorId });
    if (f.q) qb.andWhere(`${SEARCH_VECTOR} @@ websearch_to_tsquery('${SEARCH_CONFIG}', :q)`, { q: f.q });
    if (f.after !== undefined) qb.andWhere(f.order === 'asc' ? 'c.seq > :after' : 'c.seq < :after', { after: f.after });
    return qb.orderBy('c.seq', f.order === 'asc' ? 'ASC' : 'DESC').limit(f.limit).getMany();
  }

  /** Every visible contribution on a paragraph's lineage (or the document's general comments), oldest first. */
  thread(documentId: string, lineageKey: string | null, visibility: Visibility): Promise<ContributionEntity[]> {
    const qb = this.visible(this.ds.manager.createQueryBuilder(ContributionEntity, 'c'), visibility).andWhere('c.document_id = :doc', {
      doc: documentId,
    });
    if (lineageKey) qb.andWhere('c.lineage_key = :lk', { lk: lineageKey });
    else qb.andWhere('c.lineage_key IS NULL');
    return qb.orderBy('c.seq', 'ASC').getMany();
  }

  private visible(qb: SelectQueryBuilder<ContributionEntity>, v: Visibility): SelectQueryBuilder<ContributionEntity> {
    if (v.kind === 'published') return qb.where(`c.status = 'published'`);
    if (v.kind === 'published_or_own')
      return qb.where(new Brackets((w) => w.where(`c.status = 'published'`).orWhere('c.author_id = :me', { me: v.userId })));
    return qb.where('true');
  }

  /** Active endorsements per contribution and stakeholder group. */
  async endorsementsByGroup(ids: string[]): Promise<Map<string, Record<string, number>>> {
    const map = new Map<string, Record<string, number>>();
    if (!ids.length) return map;
    const rows: { contribution_id: string; user_group: string; n: string }[] = await this.ds.query(
      `SELECT contribution_id, user_group, count(*) AS n FROM endorsements
        WHERE contribution_id = ANY($1::uuid[]) AND withdrawn_at IS NULL GROUP BY 1, 2`,
      [ids],
    );
    for (const r of rows) map.set(r.contribution_id, { ...(map.get(r.contribution_id) ?? {}), [r.user_group]: Number(r.n) });
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

  async paragraphTexts(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; text: string }[] = await this.ds.query(`SELECT id, text FROM paragraphs WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.text]));
  }

  /** Returns false when the user already has an active endorsement (the partial unique index decides). */
  async insertEndorsement(row: Omit<EndorsementEntity, 'id' | 'contribution' | 'user' | 'withdrawnAt'>, tx: Tx): Promise<boolean> {
    const res = await tx
      .createQueryBuilder()
      .insert()
      .into(EndorsementEntity)
      .values({ ...row, withdrawnAt: null })
      .orIgnore()
      .returning(['id'])
      .execute();
    if (!res.raw.length) return false;
    await tx.query(`UPDATE contributions SET endorsement_count = endorsement_count + 1 WHERE id = $1`, [row.contributionId]);
    return true;
  }

  async withdrawEndorsement(contributionId: string, userId: string, at: Date, tx: Tx): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE endorsements SET withdrawn_at = $3 WHERE contribution_id = $1 AND user_id = $2 AND withdrawn_at IS NULL RETURNING id`,
      [contributionId, userId, at],
    );
    const changed = (Array.isArray(rows[0]) ? rows[0] : rows).length > 0;
    if (changed) await tx.query(`UPDATE contributions SET endorsement_count = endorsement_count - 1 WHERE id = $1`, [contributionId]);
    return changed;
  }

  /** Per-paragraph-lineage counts of a document, and its general comments: one query, grouped in the database. */
  async documentCounts(documentId: string): Promise<{ lineageKey: string | null; published: number; amendments: number; endorsements: number }[]> {
    const rows: { lineage_key: string | null; published: string; amendments: string; endorsements: string }[] = await this.ds.query(
      `SELECT lineage_key, count(*) AS published, count(*) FILTER (WHERE kind = 'amendment') AS amendments,
              coalesce(sum(endorsement_count), 0) AS endorsements
         FROM contributions WHERE document_id = $1 AND status = 'published' GROUP BY lineage_key`,
      [documentId],
    );
    return rows.map((r) => ({
      lineageKey: r.lineage_key,
      published: Number(r.published),
      amendments: Number(r.amendments),
      endorsements: Number(r.endorsements),
    }));
  }
}
