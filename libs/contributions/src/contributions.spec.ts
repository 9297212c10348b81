import { createHash, randomUUID } from 'node:crypto';
import { adminQuery } from '@plenary/database/testing';
import { ClustersService } from '@plenary/moderation';
import {
  Actor,
  listingsSettled,
  openConsultation,
  OpenConsultation,
  participant,
  startTestApp,
  TestApp,
  withRoles,
} from '../../../test/support';

let t: TestApp;
let chair: Actor;
let alice: Actor; // civil society, Kenya, representative
let bob: Actor; // government, Brazil, personal
let carol: Actor; // private sector, Japan
let post: OpenConsultation;
let pre: OpenConsultation;

beforeAll(async () => {
  t = await startTestApp({ SUBMISSION_RATE_LIMIT: '100000' });
  chair = await withRoles(t, ['chair']);
  alice = await participant(t, {
    stakeholderGroup: 'civil_society',
    country: 'KE',
    organisation: 'Kenya ICT Action Network',
    capacity: 'representative',
  });
  bob = await participant(t, {
    stakeholderGroup: 'government',
    country: 'BR',
    organisation: 'Ministry of Communications',
    capacity: 'personal',
  });
  carol = await participant(t, {
    stakeholderGroup: 'private_sector',
    country: 'JP',
    organisation: 'Keidanren',
    capacity: 'personal',
  });
  post = await openConsultation(t, chair, { policy: 'post' });
  pre = await openConsultation(t, chair, { policy: 'pre' });
});
afterAll(() => t.close());
afterEach(() => t.clock.set(undefined));

const submit = (
  paragraphId: string,
  who: Actor | null,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) => {
  const req = t.http().post(`/api/paragraphs/${paragraphId}/contributions`).set(headers);
  return (who ? req.set(who.auth) : req).send(body);
};
const comment = (paragraphId: string, who: Actor, text: string) =>
  submit(paragraphId, who, { kind: 'comment', body: text }).expect(201);
const rows = (sql: string, params: unknown[] = []) =>
  adminQuery(t.databaseUrl, sql, params) as Promise<Record<string, unknown>[]>;

describe('submitting', () => {
  it('gives a receipt: tracking number per consultation and round, server time, content hash; copies the author', async () => {
    const before = Date.now();
    const res = await comment(post.paragraphs['1'], alice, 'Access should be **universal**.');
    expect(res.headers.location).toBe(`/api/contributions/${res.body.id}`);
    expect(res.body.trackingNumber).toMatch(new RegExp(`^${post.code}-R1-\\d{6}$`));
    expect(new Date(res.body.submittedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const expected = createHash('sha256')
      .update(JSON.stringify(['comment', 'Access should be **universal**.', null, null]))
      .digest('hex');
    expect(res.body.contentHash).toBe(expected);
    expect(res.body).toMatchObject({
      status: 'published',
      kind: 'comment',
      round: 'R1',
      version: 1,
      versionName: 'zero draft',
      paragraphLabel: '1',
      author: {
        id: alice.id,
        group: 'civil_society',
        organisation: 'Kenya ICT Action Network',
        country: 'KE',
        region: 'african',
        capacity: 'representative',
        verified: false,
      },
      endorsements: { total: 0, byGroup: { government: 0, civil_society: 0 } },
    });
    const again = await t.http().get(`/api/contributions/${res.body.id}`).expect(200);
    expect(again.body).toMatchObject({
      trackingNumber: res.body.trackingNumber,
      submittedAt: res.body.submittedAt,
      contentHash: res.body.contentHash,
    });
  });

  it('numbers receipts consecutively within a round, and separately per consultation', async () => {
    const a = await comment(post.paragraphs['2'], bob, 'one');
    const b = await comment(post.paragraphs['2'], bob, 'two');
    const n = (x: string) => Number(x.split('-').pop());
    expect(n(b.body.trackingNumber)).toBe(n(a.body.trackingNumber) + 1);
    const other = await openConsultation(t, chair);
    const c = await comment(other.paragraphs['1'], bob, 'first there');
    expect(c.body.trackingNumber).toBe(`${other.code}-R1-000001`);
  });

  it('is pending under pre-moderation and published under post-moderation', async () => {
    expect((await comment(pre.paragraphs['1'], alice, 'pre')).body.status).toBe('pending');
    expect((await comment(post.paragraphs['1'], alice, 'post')).body.status).toBe('published');
  });

  it('stores the body exactly as written, HTML and script included, and never interprets it', async () => {
    const body = '  <script>alert("x")</script>\n<img src=x onerror=alert(1)> & "quotes" \u00e9\u4e2d\u{1F600}  ';
    const res = await comment(post.paragraphs['1'], alice, body);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.body).toBe(body);
    const [row] = await rows('SELECT body FROM contributions WHERE id = $1', [res.body.id]);
    expect(row.body).toBe(body);
    expect((await t.http().get(`/api/contributions/${res.body.id}`)).body.body).toBe(body);
  });

  it('refuses empty, oversized and malformed submissions, naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ kind: 'comment', body: '   \n' }, /body must not be empty/],
      [{ kind: 'comment', body: 'x'.repeat(10_001) }, /body must be at most 10000/],
      [{ kind: 'opinion', body: 'x' }, /kind must be one of/],
      [{ kind: 'comment' }, /body/],
      [{ kind: 'comment', body: 'x', extra: 1 }, /extra/],
      [{ kind: 'amendment', body: 'x' }, /proposedText/],
      [{ kind: 'comment', body: 'x', proposedText: 'y' }, /only an amendment/],
      [{ kind: 'reply', body: 'x' }, /parentId/],
      [{ kind: 'comment', body: 'x', parentId: randomUUID() }, /only a reply/],
    ];
    for (const [body, message] of cases) {
      const res = await submit(post.paragraphs['1'], alice, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await submit(post.paragraphs['1'], alice, { kind: 'comment', body: 'x'.repeat(10_000) })).status).toBe(201);
  });

  it('needs a signed-in account; unknown paragraphs are 404; drafts stay invisible', async () => {
    expect((await submit(post.paragraphs['1'], null, { kind: 'comment', body: 'x' })).status).toBe(401);
    const missing = await submit(randomUUID(), alice, { kind: 'comment', body: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('PARAGRAPH_NOT_FOUND');
    const draft = await t
      .http()
      .post('/api/consultations')
      .set(chair.auth)
      .send({ title: 'Draft', moderationPolicy: 'post' })
      .expect(201);
    const doc = await t
      .http()
      .post(`/api/consultations/${draft.body.id}/documents`)
      .set(chair.auth)
      .send({ format: 'text', content: '1. Text.' })
      .expect(201);
    const pid = doc.body.document.sections[0].paragraphs[0].id;
    expect((await submit(pid, alice, { kind: 'comment', body: 'x' })).status).toBe(404);
    const chairs = await submit(pid, chair, { kind: 'comment', body: 'x' });
    expect(chairs.status).toBe(409);
    expect(chairs.body.error.code).toBe('CONSULTATION_NOT_OPEN');
  });

  it('accepts onBehalfOf only from representatives', async () => {
    const ok = await submit(post.paragraphs['1'], alice, {
      kind: 'comment',
      body: 'x',
      onBehalfOf: 'African Union Commission',
    }).expect(201);
    expect(ok.body.onBehalfOf).toBe('African Union Commission');
    const no = await submit(post.paragraphs['1'], bob, { kind: 'comment', body: 'x', onBehalfOf: 'Brazil' });
    expect(no.status).toBe(422);
    expect(no.body.error.code).toBe('NOT_REPRESENTATIVE');
  });

  it('takes general comments on the whole document', async () => {
    const res = await t
      .http()
      .post(`/api/documents/${post.documentId}/contributions`)
      .set(bob.auth)
      .send({ kind: 'comment', body: 'Overall, too long.' })
      .expect(201);
    expect(res.body).toMatchObject({ paragraphId: null, lineageKey: null, documentId: post.documentId });
    const amend = await t
      .http()
      .post(`/api/documents/${post.documentId}/contributions`)
      .set(bob.auth)
      .send({ kind: 'amendment', body: 'x', proposedText: 'y' });
    expect(amend.status).toBe(422);
    const thread = await t.http().get(`/api/documents/${post.documentId}/contributions`).expect(200);
    expect(thread.body.items.map((x: { id: string }) => x.id)).toContain(res.body.id);
  });
});

describe('the round window (server clock)', () => {
  let w: OpenConsultation;
  beforeAll(async () => {
    const now = t.clock.now().getTime();
    w = await openConsultation(t, chair, { opensAt: new Date(now + 3600_000), closesAt: new Date(now + 7200_000) });
  });
  const at = (d: Date, ms: number) => t.clock.set(new Date(d.getTime() + ms));

  it('refuses before opening, saying when it opens', async () => {
    at(w.opensAt, -1);
    const res = await submit(w.paragraphs['1'], alice, { kind: 'comment', body: 'early' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ROUND_NOT_OPEN');
    expect(res.body.error.message).toMatch(/Round R1 opens on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(res.body.error.details.opensAt).toBe(w.opensAt.toISOString());
  });

  it('accepts from the opening instant to the last millisecond before closing', async () => {
    at(w.opensAt, 0);
    const first = await submit(w.paragraphs['1'], alice, { kind: 'comment', body: 'first' }).expect(201);
    expect(first.body.submittedAt).toBe(w.opensAt.toISOString());
    at(w.closesAt, -1);
    await submit(w.paragraphs['1'], alice, { kind: 'comment', body: 'last' }).expect(201);
  });

  it('refuses at and after closing, saying when it closed', async () => {
    at(w.closesAt, 0);
    const res = await submit(w.paragraphs['1'], alice, { kind: 'comment', body: 'late' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ROUND_CLOSED');
    expect(res.body.error.message).toMatch(/Round R1 closed on/);
    expect(res.body.error.details.closedAt).toBe(w.closesAt.toISOString());
  });

  it('refuses after a chair closes the round early', async () => {
    const c = await openConsultation(t, chair);
    await comment(c.paragraphs['1'], alice, 'before');
    await t.http().patch(`/api/rounds/${c.roundId}`).set(chair.auth).send({ close: true }).expect(200);
    const res = await submit(c.paragraphs['1'], alice, { kind: 'comment', body: 'after' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ROUND_CLOSED');
  });
});

describe('Idempotency-Key', () => {
  it('returns the first result to a sequential retry and keeps one row', async () => {
    const key = randomUUID();
    const body = { kind: 'comment', body: 'retry me' };
    const a = await submit(post.paragraphs['3'], alice, body, { 'Idempotency-Key': key }).expect(201);
    const b = await submit(post.paragraphs['3'], alice, body, { 'Idempotency-Key': key }).expect(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.body.trackingNumber).toBe(a.body.trackingNumber);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(await rows(`SELECT id FROM contributions WHERE body = 'retry me'`)).toHaveLength(1);
  });

  it('refuses the same key with a different body (422)', async () => {
    const key = randomUUID();
    await submit(
      post.paragraphs['3'],
      alice,
      { kind: 'comment', body: 'first body' },
      { 'Idempotency-Key': key },
    ).expect(201);
    const res = await submit(
      post.paragraphs['3'],
      alice,
      { kind: 'comment', body: 'second body' },
      { 'Idempotency-Key': key },
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('creates exactly one contribution from concurrent retries', async () => {
    const key = randomUUID();
    const body = { kind: 'comment', body: `concurrent ${key}` };
    const results = await Promise.all(
      Array.from({ length: 12 }, () => submit(post.paragraphs['3'], bob, body, { 'Idempotency-Key': key })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await rows('SELECT id FROM contributions WHERE body = $1', [body.body])).toHaveLength(1);
  });

  it('keys are per account, expire after 24 hours, and must be sane', async () => {
    const long = await openConsultation(t, chair, { closesAt: new Date(t.clock.now().getTime() + 3 * 86400_000) });
    const p = long.paragraphs['3'];
    const key = randomUUID();
    const body = { kind: 'comment', body: 'same key, two people' };
    const a = await submit(p, alice, body, { 'Idempotency-Key': key }).expect(201);
    const b = await submit(p, bob, body, { 'Idempotency-Key': key }).expect(201);
    expect(b.body.id).not.toBe(a.body.id);
    t.clock.set(new Date(Date.now() + 24 * 3600_000 - 60_000));
    const within = await submit(p, alice, { kind: 'comment', body: 'a new body' }, { 'Idempotency-Key': key });
    expect(within.status).toBe(422);
    t.clock.set(new Date(Date.now() + 24 * 3600_000 + 60_000));
    const later = await submit(p, alice, { kind: 'comment', body: 'a new day' }, { 'Idempotency-Key': key }).expect(
      201,
    );
    expect(later.body.id).not.toBe(a.body.id);
    const bad = await submit(p, alice, body, { 'Idempotency-Key': 'x'.repeat(201) });
    expect(bad.status).toBe(400);
  });

  it('does not burn a key on a refused submission', async () => {
    const c = await openConsultation(t, chair);
    await t.http().patch(`/api/rounds/${c.roundId}`).set(chair.auth).send({ close: true }).expect(200);
    const key = randomUUID();
    await submit(c.paragraphs['1'], alice, { kind: 'comment', body: 'closed' }, { 'Idempotency-Key': key }).expect(409);
    expect(await rows('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).toHaveLength(0);
  });
});

describe('amendments and replies', () => {
  it('returns the word diff of the proposed wording against the paragraph', async () => {
    const res = await submit(post.paragraphs['2'], bob, {
      kind: 'amendment',
      body: 'Be specific.',
      proposedText: 'Capacity building for developing countries matters.',
    }).expect(201);
    const ops = res.body.diff as { op: string; text: string }[];
    expect(ops.filter((o) => o.op === 'insert').map((o) => o.text.trim())).toContain('for developing countries');
    expect(
      ops
        .filter((o) => o.op !== 'insert')
        .map((o) => o.text)
        .join(''),
    ).toBe('Capacity building matters.');
    expect((await t.http().get(`/api/contributions/${res.body.id}`)).body.diff).toEqual(ops);
  });

  it('threads replies two levels deep and flattens deeper ones, oldest first', async () => {
    const c = await openConsultation(t, chair);
    const p = c.paragraphs['1'];
    const root = await comment(p, alice, 'root');
    const r1 = await submit(p, bob, { kind: 'reply', parentId: root.body.id, body: 'level 1' }).expect(201);
    const r2 = await submit(p, carol, { kind: 'reply', parentId: r1.body.id, body: 'level 2' }).expect(201);
    const r3 = await submit(p, alice, { kind: 'reply', parentId: r2.body.id, body: 'level 3' }).expect(201);
    const r4 = await submit(p, bob, { kind: 'reply', parentId: r3.body.id, body: 'level 4' }).expect(201);
    expect(r4.body).toMatchObject({ depth: 4, threadRootId: root.body.id, parentId: r3.body.id });
    const thread = (await t.http().get(`/api/paragraphs/${p}/contributions`).expect(200)).body;
    expect(thread.total).toBe(5);
    expect(thread.items).toHaveLength(1);
    const l1 = thread.items[0].replies;
    expect(l1.map((x: { body: string }) => x.body)).toEqual(['level 1']);
    expect(l1[0].replies.map((x: { body: string }) => x.body)).toEqual(['level 2', 'level 3', 'level 4']);
    expect(l1[0].replies[1].inReplyTo).toMatchObject({ id: r2.body.id, trackingNumber: r2.body.trackingNumber });
    expect(l1[0].replies[2].inReplyTo.id).toBe(r3.body.id);
  });

  it('refuses a reply to a contribution on another paragraph or one the replier cannot see', async () => {
    const a = await comment(post.paragraphs['1'], alice, 'on 1');
    const wrong = await submit(post.paragraphs['2'], bob, { kind: 'reply', parentId: a.body.id, body: 'x' });
    expect(wrong.status).toBe(422);
    const hidden = await comment(pre.paragraphs['1'], alice, 'pending one');
    expect(
      (await submit(pre.paragraphs['1'], bob, { kind: 'reply', parentId: hidden.body.id, body: 'x' })).status,
    ).toBe(422);
    await submit(pre.paragraphs['1'], alice, {
      kind: 'reply',
      parentId: hidden.body.id,
      body: 'my own follow-up',
    }).expect(201);
  });
});

describe('editing and withdrawing', () => {
  it('lets the author edit, keeping every earlier text; others are refused', async () => {
    const c = await submit(post.paragraphs['2'], alice, {
      kind: 'amendment',
      body: 'v1',
      proposedText: 'Capacity matters.',
    }).expect(201);
    const e1 = await t.http().patch(`/api/contributions/${c.body.id}`).set(alice.auth).send({ body: 'v2' }).expect(200);
    const e2 = await t
      .http()
      .patch(`/api/contributions/${c.body.id}`)
      .set(alice.auth)
      .send({ proposedText: 'Capacity really matters.' })
      .expect(200);
    expect(e1.body.editCount).toBe(1);
    expect(e2.body).toMatchObject({
      body: 'v2',
      proposedText: 'Capacity really matters.',
      editCount: 2,
      trackingNumber: c.body.trackingNumber,
    });
    expect(e2.body.contentHash).not.toBe(c.body.contentHash);
    expect(
      e2.body.revisions.map((r: { revision: number; body: string; proposedText: string }) => [
        r.revision,
        r.body,
        r.proposedText,
      ]),
    ).toEqual([
      [1, 'v1', 'Capacity matters.'],
      [2, 'v2', 'Capacity matters.'],
    ]);
    expect(e2.body.revisions[0].contentHash).toBe(c.body.contentHash);
    const pub = (await t.http().get(`/api/contributions/${c.body.id}`)).body;
    expect(pub.editCount).toBe(2);
    expect(pub).not.toHaveProperty('revisions');
    const other = await t.http().patch(`/api/contributions/${c.body.id}`).set(bob.auth).send({ body: 'hijack' });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('NOT_AUTHOR');
    expect((await t.http().patch(`/api/contributions/${c.body.id}`).set(alice.auth).send({})).status).toBe(400);
    const [{ n }] = await rows('SELECT count(*)::int AS n FROM contribution_revisions WHERE contribution_id = $1', [
      c.body.id,
    ]);
    expect(n).toBe(2);
  });

  it('the database refuses to change or delete an earlier text or a contribution', async () => {
    const c = await comment(post.paragraphs['1'], alice, 'keep me');
    await t.http().patch(`/api/contributions/${c.body.id}`).set(alice.auth).send({ body: 'kept' }).expect(200);
    await expect(
      rows(`UPDATE contribution_revisions SET body = 'forged' WHERE contribution_id = $1`, [c.body.id]),
    ).rejects.toThrow(/append-only/);
    await expect(rows(`DELETE FROM contribution_revisions WHERE contribution_id = $1`, [c.body.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(rows(`DELETE FROM contributions WHERE id = $1`, [c.body.id])).rejects.toThrow(/cannot be deleted/);
  });

  it('withdrawn contributions stay in the record, visible to their author and moderators only', async () => {
    const c = await comment(post.paragraphs['1'], bob, 'second thoughts');
    const w = await t.http().post(`/api/contributions/${c.body.id}/withdraw`).set(bob.auth).expect(200);
    expect(w.body).toMatchObject({ status: 'withdrawn', body: 'second thoughts' });
    expect(w.body.withdrawnAt).toBeTruthy();
    await t.http().get(`/api/contributions/${c.body.id}`).expect(404);
    await t.http().get(`/api/contributions/${c.body.id}`).set(alice.auth).expect(404);
    await t.http().get(`/api/contributions/${c.body.id}`).set(chair.auth).expect(200);
    expect((await t.http().post(`/api/contributions/${c.body.id}/withdraw`).set(bob.auth)).status).toBe(409);
    expect((await t.http().patch(`/api/contributions/${c.body.id}`).set(bob.auth).send({ body: 'back' })).status).toBe(
      409,
    );
    expect(await rows('SELECT status FROM contributions WHERE id = $1', [c.body.id])).toEqual([
      { status: 'withdrawn' },
    ]);
  });

  it('refuses edits and withdrawals once the round has closed', async () => {
    const c = await openConsultation(t, chair);
    const x = await comment(c.paragraphs['1'], alice, 'frozen soon');
    t.clock.set(new Date(c.closesAt.getTime() + 1));
    const e = await t.http().patch(`/api/contributions/${x.body.id}`).set(alice.auth).send({ body: 'too late' });
    expect(e.status).toBe(409);
    expect(e.body.error.code).toBe('ROUND_CLOSED');
    expect((await t.http().post(`/api/contributions/${x.body.id}/withdraw`).set(alice.auth)).status).toBe(409);
  });

  it('under pre-moderation an edit goes back to the queue', async () => {
    const c = await comment(pre.paragraphs['2'], alice, 'draft wording');
    const e = await t
      .http()
      .patch(`/api/contributions/${c.body.id}`)
      .set(alice.auth)
      .send({ body: 'better wording' })
      .expect(200);
    expect(e.body.status).toBe('pending');
  });
});

describe('endorsements', () => {
  it('one per person, not on one’s own, counted per stakeholder group', async () => {
    const c = await submit(post.paragraphs['3'], alice, {
      kind: 'amendment',
      body: 'fund it',
      proposedText: 'Financing mechanisms, fully funded.',
    }).expect(201);
    const own = await t.http().post(`/api/contributions/${c.body.id}/endorsements`).set(alice.auth);
    expect(own.status).toBe(422);
    expect(own.body.error.code).toBe('OWN_CONTRIBUTION');
    const e1 = await t.http().post(`/api/contributions/${c.body.id}/endorsements`).set(bob.auth).expect(201);
    expect(e1.body.endorsements).toMatchObject({ total: 1, byGroup: { government: 1, private_sector: 0 } });
    expect(e1.body.endorsedByMe).toBe(true);
    const e2 = await t.http().post(`/api/contributions/${c.body.id}/endorsements`).set(carol.auth).expect(201);
    expect(e2.body.endorsements).toMatchObject({ total: 2, byGroup: { government: 1, private_sector: 1 } });
    const dup = await t.http().post(`/api/contributions/${c.body.id}/endorsements`).set(bob.auth);
    expect(dup.status).toBe(409);
    const pub = await t.http().get(`/api/contributions/${c.body.id}`).expect(200);
    expect(pub.body.endorsements.total).toBe(2);
    expect(pub.body).not.toHaveProperty('endorsedByMe');
    const un = await t.http().delete(`/api/contributions/${c.body.id}/endorsements`).set(bob.auth).expect(200);
    expect(un.body.endorsements).toMatchObject({ total: 1, byGroup: { government: 0, private_sector: 1 } });
    expect(un.body.endorsedByMe).toBe(false);
    expect((await t.http().delete(`/api/contributions/${c.body.id}/endorsements`).set(bob.auth)).status).toBe(404);
    // The withdrawn endorsement stays in the record.
    expect(
      await rows(
        'SELECT withdrawn_at IS NOT NULL AS w FROM endorsements WHERE contribution_id = $1 ORDER BY created_at',
        [c.body.id],
      ),
    ).toEqual([{ w: true }, { w: false }]);
    await t.http().post(`/api/contributions/${c.body.id}/endorsements`).set(bob.auth).expect(201);
  });

  it('counts concurrent endorsements exactly', async () => {
    const c = await comment(post.paragraphs['3'], alice, 'popular');
    const people = await Promise.all(Array.from({ length: 8 }, () => participant(t)));
    await Promise.all(
      people.map((p) => t.http().post(`/api/contributions/${c.body.id}/endorsements`).set(p.auth).expect(201)),
    );
    const res = await t.http().get(`/api/contributions/${c.body.id}`).expect(200);
    expect(res.body.endorsements.total).toBe(8);
    expect(res.body.endorsements.byGroup.civil_society).toBe(8);
  });

  it('cannot endorse what one cannot see, nor what is not published', async () => {
    const c = await comment(pre.paragraphs['1'], alice, 'awaiting moderation');
    expect((await t.http().post(`/api/contributions/${c.body.id}/endorsements`).set(bob.auth)).status).toBe(404);
    expect((await t.http().post(`/api/contributions/${c.body.id}/endorsements`).send()).status).toBe(401);
  });
});

describe('reading: who sees what', () => {
  let v: OpenConsultation;
  let moderator: Actor;
  let outsider: Actor;
  let pendingByAlice: string;
  beforeAll(async () => {
    v = await openConsultation(t, chair, { policy: 'pre' });
    moderator = await participant(t);
    outsider = await participant(t);
    const other = await openConsultation(t, chair);
    await t
      .http()
      .post(`/api/consultations/${v.consultationId}/members`)
      .set(chair.auth)
      .send({ userId: moderator.id, role: 'moderator' })
      .expect(201);
    await t
      .http()
      .post(`/api/consultations/${other.consultationId}/members`)
      .set(chair.auth)
      .send({ userId: outsider.id, role: 'moderator' })
      .expect(201);
    pendingByAlice = (await comment(v.paragraphs['1'], alice, 'alice pending')).body.id;
    await comment(v.paragraphs['1'], bob, 'bob pending');
  });
  const ids = async (who: Actor | null, query = '') => {
    await listingsSettled(t);
    const req = t.http().get(`/api/consultations/${v.consultationId}/contributions${query}`);
    const res = await (who ? req.set(who.auth) : req).expect(200);
    return res.body.items.map((x: { body: string }) => x.body).sort();
  };

  it('the public and other participants see only published; authors also their own; moderators and chairs all', async () => {
    expect(await ids(null)).toEqual([]);
    expect(await ids(carol)).toEqual([]);
    expect(await ids(alice)).toEqual(['alice pending']);
    expect(await ids(moderator)).toEqual(['alice pending', 'bob pending']);
    expect(await ids(chair)).toEqual(['alice pending', 'bob pending']);
    expect(await ids(outsider)).toEqual([]); // a moderator of another consultation is a participant here
    expect(await ids(alice, '?mine=true')).toEqual(['alice pending']);
    await t.http().get(`/api/consultations/${v.consultationId}/contributions?mine=true`).expect(401);
    await t.http().get(`/api/contributions/${pendingByAlice}`).expect(404);
    await t.http().get(`/api/contributions/${pendingByAlice}`).set(outsider.auth).expect(404);
    await t.http().get(`/api/contributions/${pendingByAlice}`).set(moderator.auth).expect(200);
    const thread = await t.http().get(`/api/paragraphs/${v.paragraphs['1']}/contributions`).set(alice.auth).expect(200);
    expect(thread.body.items.map((x: { body: string }) => x.body)).toEqual(['alice pending']);
  });

  it('filters by group, region, country, kind, status, paragraph and full text', async () => {
    const c = await openConsultation(t, chair);
    await comment(c.paragraphs['1'], alice, 'Governments must protect journalists.');
    await comment(c.paragraphs['2'], bob, 'Training programmes for civil servants.');
    await submit(c.paragraphs['2'], carol, {
      kind: 'amendment',
      body: 'Add industry.',
      proposedText: 'Capacity building with industry matters.',
    }).expect(201);
    await listingsSettled(t);
    const q = async (query: string) =>
      (await t.http().get(`/api/consultations/${c.consultationId}/contributions?${query}`).expect(200)).body.items.map(
        (x: { author: { name: string } }) => x.author.name,
      );
    const [a, b, cc] = await Promise.all(
      [alice, bob, carol].map(async (x) => (await t.http().get('/api/me').set(x.auth)).body.displayName),
    );
    expect(await q('group=government')).toEqual([b]);
    expect(await q('region=african')).toEqual([a]);
    expect(await q('country=jp')).toEqual([cc]);
    expect(await q('kind=amendment')).toEqual([cc]);
    expect(await q('status=published')).toEqual([a, b, cc]);
    expect(await q(`paragraph=${c.paragraphs['2']}`)).toEqual([b, cc]);
    expect(await q('q=government')).toEqual([a]); // stemmed: "Governments"
    expect(await q('q=training%20servant')).toEqual([b]);
    expect(await q('q=industry')).toEqual([cc]); // proposed text is searched too
    expect(await q('q=%22protect%20journalists%22%20-training')).toEqual([a]);
    expect(await q('group=government&kind=amendment')).toEqual([]);
    const bad = await t.http().get(`/api/consultations/${c.consultationId}/contributions?group=aliens&limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/group must be one of/);
    expect((await t.http().get(`/api/consultations/${c.consultationId}/contributions?cursor=bm9wZQ`)).status).toBe(400);
  });

  it('pages with a cursor without duplicates or gaps while contributions keep arriving', async () => {
    const c = await openConsultation(t, chair);
    const writers = await Promise.all(Array.from({ length: 4 }, () => participant(t)));
    const initial = new Set<string>();
    for (let i = 0; i < 30; i++)
      initial.add((await comment(c.paragraphs['1'], writers[i % 4], `initial ${i}`)).body.id);
    await listingsSettled(t);
    let inserting = true;
    const inserted: string[] = [];
    const inserter = (async () => {
      let i = 0;
      while (inserting) {
        const res = await comment(c.paragraphs[String((i % 3) + 1)], writers[i % 4], `concurrent ${i}`);
        inserted.push(res.body.id);
        i++;
      }
    })();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await t
        .http()
        .get(`/api/consultations/${c.consultationId}/contributions?limit=7${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      seen.push(...page.body.items.map((x) => x.id));
      cursor = page.body.nextCursor;
      pages++;
      if (pages === 8) inserting = false;
    } while (cursor);
    inserting = false;
    await inserter;
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of initial) expect(seen).toContain(id);
    expect(inserted.length).toBeGreaterThan(0);
    // Every contribution committed before the last page was read is there: the order follows commits.
    const all = (
      await rows('SELECT id FROM contributions WHERE consultation_id = $1 ORDER BY tx, seq', [c.consultationId])
    ).map((r) => r.id as string);
    expect(seen).toEqual(all.slice(0, seen.length));
    // Newest first works the same way.
    await listingsSettled(t);
    const desc = await t
      .http()
      .get(`/api/consultations/${c.consultationId}/contributions?order=desc&limit=5`)
      .expect(200);
    expect(desc.body.items[0].id).toBe(all[all.length - 1]);
    const next = await t
      .http()
      .get(`/api/consultations/${c.consultationId}/contributions?order=desc&limit=5&cursor=${desc.body.nextCursor}`)
      .expect(200);
    expect(next.body.items[0].id).toBe(all[all.length - 6]);
  });
});

describe('threads, a page at a time', () => {
  it('pages top-level contributions oldest first, each with all its replies, without duplicates or gaps', async () => {
    const c = await openConsultation(t, chair);
    const roots: string[] = [];
    for (let i = 0; i < 5; i++)
      roots.push((await comment(c.paragraphs['3'], [alice, bob, carol][i % 3], `root ${i}`)).body.id);
    for (const r of [roots[0], roots[3]]) {
      const reply = await submit(c.paragraphs['3'], bob, { kind: 'reply', body: `reply to ${r}`, parentId: r }).expect(
        201,
      );
      await submit(c.paragraphs['3'], carol, { kind: 'reply', body: 'deeper', parentId: reply.body.id }).expect(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    const pages: number[] = [];
    do {
      const res: {
        body: { items: { id: string; replies: { replies: unknown[] }[] }[]; nextCursor: string | null; total: number };
      } = await t
        .http()
        .get(`/api/paragraphs/${c.paragraphs['3']}/contributions`)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      pages.push(res.body.items.length);
      seen.push(...res.body.items.map((x) => x.id));
      if (res.body.items.some((x) => x.id === roots[3])) {
        const r3 = res.body.items.find((x) => x.id === roots[3])!;
        expect(r3.replies).toHaveLength(1);
        expect(r3.replies[0].replies).toHaveLength(1);
      }
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual([2, 2, 1]);
    expect(seen).toEqual(roots);
    await t.http().get(`/api/paragraphs/${c.paragraphs['3']}/contributions`).query({ cursor: 'bm9wZQ' }).expect(400);
    await t.http().get(`/api/paragraphs/${c.paragraphs['3']}/contributions`).query({ limit: 501 }).expect(400);
  });
});

describe('the document view and versions', () => {
  it('keeps the per-paragraph summary equal to a count of the contributions, through every kind of change', async () => {
    const c = await openConsultation(t, chair, { policy: 'pre' });
    const mod = await participant(t);
    await t
      .http()
      .post(`/api/consultations/${c.consultationId}/members`)
      .set(chair.auth)
      .send({ userId: mod.id, role: 'moderator' })
      .expect(201);
    const ids: string[] = [];
    for (const [i, who] of [alice, bob, carol, alice, bob].entries()) {
      const body =
        i % 2 ? { kind: 'amendment', body: `a${i}`, proposedText: `p${i}` } : { kind: 'comment', body: `c${i}` };
      ids.push((await submit(c.paragraphs[String((i % 3) + 1)], who, body).expect(201)).body.id);
    }
    await t
      .http()
      .post(`/api/documents/${c.documentId}/contributions`)
      .set(carol.auth)
      .send({ kind: 'comment', body: 'general' })
      .expect(201);
    const decide = (id: string, action: string) =>
      t.http().post(`/api/contributions/${id}/decisions`).set(mod.auth).send({ action, reason: 'other' }).expect(200);
    await decide(ids[0], 'approve');
    await decide(ids[1], 'approve');
    await decide(ids[2], 'reject');
    await decide(ids[3], 'approve');
    await t.http().post(`/api/contributions/${ids[1]}/endorsements`).set(carol.auth).expect(201);
    await t.http().post(`/api/contributions/${ids[1]}/endorsements`).set(alice.auth).expect(201);
    await t.http().delete(`/api/contributions/${ids[1]}/endorsements`).set(alice.auth).expect(200);
    await decide(ids[3], 'hide');
    await t.http().post(`/api/contributions/${ids[0]}/withdraw`).set(alice.auth).expect(200);
    const summary = await adminQuery(
      t.databaseUrl,
      `SELECT lineage_key, published, amendments, endorsements FROM paragraph_counts WHERE document_id = $1 AND (published, amendments, endorsements) <> (0, 0, 0) ORDER BY 1`,
      [c.documentId],
    );
    const counted = await adminQuery(
      t.databaseUrl,
      `SELECT coalesce(lineage_key, '00000000-0000-0000-0000-000000000000') AS lineage_key, count(*)::int AS published,
              (count(*) FILTER (WHERE kind = 'amendment'))::int AS amendments, coalesce(sum(endorsement_count), 0)::int AS endorsements
         FROM contributions WHERE document_id = $1 AND status = 'published' GROUP BY 1 ORDER BY 1`,
      [c.documentId],
    );
    expect(summary).toEqual(counted);
    expect(counted).toHaveLength(1); // only ids[1] (an amendment, endorsed once) is still published
    expect(counted[0]).toMatchObject({ published: 1, amendments: 1, endorsements: 1 });
  });

  it('shows per-paragraph counts without a query per paragraph', async () => {
    const pg = require('pg');
    const countQueries = async (documentId: string) => {
      const spy = jest.spyOn(pg.Client.prototype, 'query');
      try {
        const res = await t.http().get(`/api/documents/${documentId}`).expect(200);
        return { n: spy.mock.calls.length, body: res.body };
      } finally {
        spy.mockRestore();
      }
    };
    const small = await openConsultation(t, chair);
    const draft = Array.from({ length: 40 }, (_, i) => `${i + 1}. Paragraph ${i + 1}.`).join('\n\n');
    const big = await openConsultation(t, chair, { draft });
    await comment(small.paragraphs['1'], alice, 'a');
    const am = await submit(small.paragraphs['1'], bob, { kind: 'amendment', body: 'b', proposedText: 'c' }).expect(
      201,
    );
    await t.http().post(`/api/contributions/${am.body.id}/endorsements`).set(carol.auth).expect(201);
    await t.http().post(`/api/contributions/${am.body.id}/endorsements`).set(alice.auth).expect(201);
    const withdrawn = await comment(small.paragraphs['2'], carol, 'gone');
    await t.http().post(`/api/contributions/${withdrawn.body.id}/withdraw`).set(carol.auth).expect(200);
    await t
      .http()
      .post(`/api/documents/${small.documentId}/contributions`)
      .set(bob.auth)
      .send({ kind: 'comment', body: 'general' })
      .expect(201);
    for (let i = 1; i <= 40; i += 3) await comment(big.paragraphs[String(i)], alice, `on ${i}`);
    // Duplicate detection runs after each submission in the background; let it finish so only the read is counted.
    await t.app.get(ClustersService).settled();
    const s = await countQueries(small.documentId);
    const b = await countQueries(big.documentId);
    expect(b.n).toBe(s.n);
    const p = s.body.sections[0].paragraphs;
    expect(p[0].counts).toEqual({ published: 2, amendments: 1, endorsements: 2 });
    expect(p[1].counts).toEqual({ published: 0, amendments: 0, endorsements: 0 });
    expect(s.body.generalCounts).toEqual({ published: 1, amendments: 0, endorsements: 0 });
    expect(
      b.body.sections[0].paragraphs.filter((x: { counts: { published: number } }) => x.counts.published === 1),
    ).toHaveLength(14);
  });

  it('contributions on an earlier version appear on the paragraph that descends from it, marked with their version', async () => {
    const c = await openConsultation(t, chair);
    const old = await comment(c.paragraphs['2'], alice, 'on the zero draft');
    const v2 = await t
      .http()
      .post(`/api/documents/${c.documentId}/versions`)
      .set(chair.auth)
      .send({ edits: [{ paragraphId: c.paragraphs['2'], text: 'Capacity building matters greatly.' }] })
      .expect(201);
    const p2 = v2.body.document.sections[0].paragraphs.find((x: { label: string }) => x.label === '2');
    expect(p2.id).not.toBe(c.paragraphs['2']);
    expect(p2.counts.published).toBe(1);
    const thread = await t.http().get(`/api/paragraphs/${p2.id}/contributions`).expect(200);
    expect(thread.body.items).toHaveLength(1);
    expect(thread.body.items[0]).toMatchObject({
      id: old.body.id,
      version: 1,
      versionName: 'zero draft',
      paragraphLabel: '2',
    });
    await listingsSettled(t);
    const filtered = await t
      .http()
      .get(`/api/consultations/${c.consultationId}/contributions?paragraph=${p2.id}`)
      .expect(200);
    expect(filtered.body.items.map((x: { id: string }) => x.id)).toEqual([old.body.id]);
  });

  it('keeps the author as they were at submission when the profile changes later', async () => {
    const dave = await participant(t, {
      organisation: 'Old Org',
      country: 'FR',
      capacity: 'representative',
      stakeholderGroup: 'academia',
    });
    const c = await comment(post.paragraphs['1'], dave, 'as Old Org');
    await t
      .http()
      .patch('/api/me')
      .set(dave.auth)
      .send({ organisation: 'New Org', country: 'DE', capacity: 'personal' })
      .expect(200);
    const after = await t.http().get(`/api/contributions/${c.body.id}`).expect(200);
    expect(after.body.author).toMatchObject({
      organisation: 'Old Org',
      country: 'FR',
      capacity: 'representative',
      group: 'academia',
      region: 'western_european_others',
    });
    const newer = await comment(post.paragraphs['1'], dave, 'as New Org');
    expect(newer.body.author).toMatchObject({ organisation: 'New Org', country: 'DE' });
  });
});

describe('amendment diffs', () => {
  it('are computed at submission and at each edit, and stored', async () => {
    const a = await participant(t);
    const res = await submit(post.paragraphs['1'], a, {
      kind: 'amendment',
      body: 'clearer',
      proposedText: 'Completely new wording here.',
    }).expect(201);
    const stored = async () =>
      (await rows('SELECT diff FROM contributions WHERE id = $1', [res.body.id]))[0].diff as {
        op: string;
        text: string;
      }[];
    expect(await stored()).toEqual(res.body.diff);
    expect((await stored()).some((o) => o.op === 'insert' && o.text.includes('Completely'))).toBe(true);
    await t
      .http()
      .patch(`/api/contributions/${res.body.id}`)
      .set(a.auth)
      .send({ proposedText: 'Other wording entirely.' })
      .expect(200);
    const after = await stored();
    expect(after.some((o) => o.op === 'insert' && o.text.includes('entirely'))).toBe(true);
    const read = await t.http().get(`/api/contributions/${res.body.id}`).expect(200);
    expect(read.body.diff).toEqual(after);
  });
});

describe('rate limit per account', () => {
  let limited: TestApp;
  afterAll(() => limited?.close());

  it('answers 429 with Retry-After beyond the limit, but a retry of an accepted request still gets its receipt', async () => {
    limited = await startTestApp({ SUBMISSION_RATE_LIMIT: '3', SUBMISSION_RATE_WINDOW: '60' });
    const ch = await withRoles(limited, ['chair']);
    const c = await openConsultation(limited, ch);
    const who = await participant(limited);
    const other = await participant(limited);
    const send = (a: Actor, body: string, key?: string) =>
      limited
        .http()
        .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
        .set(a.auth)
        .set(key ? { 'Idempotency-Key': key } : {})
        .send({ kind: 'comment', body });
    await send(who, 'one', 'k1').expect(201);
    await send(who, 'two').expect(201);
    await send(who, 'three').expect(201);
    const res = await send(who, 'four');
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    const replay = await send(who, 'one', 'k1').expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    await send(other, 'someone else').expect(201);
  });
});

describe('edits and endorsements per account', () => {
  let limited: TestApp;
  afterAll(() => limited?.close());

  it('refuses edits and endorsements beyond EDIT_RATE_LIMIT and ENDORSEMENT_RATE_LIMIT with 429, per account', async () => {
    limited = await startTestApp({
      EDIT_RATE_LIMIT: '2',
      ENDORSEMENT_RATE_LIMIT: '2',
      ACTION_RATE_WINDOW: '60',
      SUBMISSION_RATE_LIMIT: '1000',
    });
    const ch = await withRoles(limited, ['chair']);
    const c = await openConsultation(limited, ch);
    const who = await participant(limited);
    const fan = await participant(limited);
    const other = await participant(limited);
    const post = (body: string) =>
      limited
        .http()
        .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
        .set(who.auth)
        .send({ kind: 'comment', body })
        .expect(201);
    const mine = await post('first words');
    const edit = (a: Actor, body: string) =>
      limited.http().patch(`/api/contributions/${mine.body.id}`).set(a.auth).send({ body });
    await edit(who, 'second words').expect(200);
    await edit(who, 'third words').expect(200);
    const third = await edit(who, 'fourth words');
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('RATE_LIMITED');
    const [row] = (await adminQuery(limited.databaseUrl, 'SELECT body, edit_count FROM contributions WHERE id = $1', [
      mine.body.id,
    ])) as { body: string; edit_count: number }[];
    expect(row).toEqual({ body: 'third words', edit_count: 2 });

    const targets = [mine.body.id, (await post('another')).body.id, (await post('and another')).body.id];
    const endorse = (a: Actor, id: string) => limited.http().post(`/api/contributions/${id}/endorsements`).set(a.auth);
    await endorse(fan, targets[0]).expect(201);
    await limited.http().delete(`/api/contributions/${targets[0]}/endorsements`).set(fan.auth).expect(200);
    expect((await endorse(fan, targets[1])).status).toBe(429);
    // Another account has its own allowance.
    await endorse(other, targets[1]).expect(201);
  });
});
