import { parse } from 'csv-parse/sync';
import { adminQuery } from '@plenary/database/testing';
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
import { campaignCopy, ordinaryText, rng } from './clusters/campaign';
import { ClustersService } from './clusters/clusters.service';

let t: TestApp;
let chair: Actor;
let mod: Actor;
let otherMod: Actor;
let alice: Actor;
let bob: Actor;
let pre: OpenConsultation;
let elsewhere: OpenConsultation;

beforeAll(async () => {
  t = await startTestApp({ SUBMISSION_RATE_LIMIT: '100000', FLAG_REVIEW_THRESHOLD: '3' });
  chair = await withRoles(t, ['chair']);
  mod = await participant(t, { stakeholderGroup: 'intergovernmental', country: 'CH' });
  otherMod = await participant(t);
  alice = await participant(t, { stakeholderGroup: 'civil_society', country: 'KE' });
  bob = await participant(t, { stakeholderGroup: 'government', country: 'BR', capacity: 'personal' });
  pre = await openConsultation(t, chair, { policy: 'pre' });
  elsewhere = await openConsultation(t, chair, { policy: 'pre' });
  await t
    .http()
    .post(`/api/consultations/${pre.consultationId}/members`)
    .set(chair.auth)
    .send({ userId: mod.id, role: 'moderator' })
    .expect(201);
  await t
    .http()
    .post(`/api/consultations/${elsewhere.consultationId}/members`)
    .set(chair.auth)
    .send({ userId: otherMod.id, role: 'moderator' })
    .expect(201);
});
afterAll(() => t.close());

const submit = (c: OpenConsultation, who: Actor, body: string, label = '1', extra: Record<string, unknown> = {}) =>
  t
    .http()
    .post(`/api/paragraphs/${c.paragraphs[label]}/contributions`)
    .set(who.auth)
    .send({ kind: 'comment', body, ...extra })
    .expect(201);
const decide = (id: string, who: Actor, body: Record<string, unknown>) =>
  t.http().post(`/api/contributions/${id}/decisions`).set(who.auth).send(body);
const rows = (sql: string, params: unknown[] = []) =>
  adminQuery(t.databaseUrl, sql, params) as Promise<Record<string, unknown>[]>;

describe('the queue and decisions', () => {
  it('lists pending contributions oldest first with counts, for moderators of that consultation only', async () => {
    const c = await openConsultation(t, chair, { policy: 'pre' });
    await t
      .http()
      .post(`/api/consultations/${c.consultationId}/members`)
      .set(chair.auth)
      .send({ userId: mod.id, role: 'moderator' })
      .expect(201);
    const a = await submit(c, alice, 'first', '1');
    const b = await submit(c, bob, 'second', '2');
    const q = await t.http().get(`/api/consultations/${c.consultationId}/moderation/queue`).set(mod.auth).expect(200);
    expect(q.body.items.map((x: { id: string }) => x.id)).toEqual([a.body.id, b.body.id]);
    expect(q.body.counts).toEqual({ pending: 2, flagged: 0, urgent: 0 });
    const byGroup = await t
      .http()
      .get(`/api/consultations/${c.consultationId}/moderation/queue?group=government`)
      .set(mod.auth)
      .expect(200);
    expect(byGroup.body.items.map((x: { id: string }) => x.id)).toEqual([b.body.id]);
    const byParagraph = await t
      .http()
      .get(`/api/consultations/${c.consultationId}/moderation/queue?paragraph=${c.paragraphs['1']}`)
      .set(chair.auth)
      .expect(200);
    expect(byParagraph.body.items.map((x: { id: string }) => x.id)).toEqual([a.body.id]);
    const byRegion = await t
      .http()
      .get(`/api/consultations/${c.consultationId}/moderation/queue?region=african`)
      .set(mod.auth)
      .expect(200);
    expect(byRegion.body.items.map((x: { id: string }) => x.id)).toEqual([a.body.id]);
    await t.http().get(`/api/consultations/${c.consultationId}/moderation/queue`).set(alice.auth).expect(403);
    await t.http().get(`/api/consultations/${c.consultationId}/moderation/queue`).set(otherMod.auth).expect(403);
    await t.http().get(`/api/consultations/${c.consultationId}/moderation/queue`).expect(401);
  });

  it('approve publishes; reject keeps it from the public with a reason its author sees; hide leaves a trace without text', async () => {
    const ok = await submit(pre, alice, 'Fine text');
    const spam = await submit(pre, bob, 'Buy now');
    await decide(ok.body.id, mod, { action: 'approve', reason: 'other' }).expect(200);
    expect((await t.http().get(`/api/contributions/${ok.body.id}`).expect(200)).body.status).toBe('published');

    const rej = await decide(spam.body.id, mod, { action: 'reject', reason: 'spam', note: 'Advertising.' }).expect(200);
    expect(rej.body).toMatchObject({ ok: true, status: 'rejected' });
    await t.http().get(`/api/contributions/${spam.body.id}`).expect(404);
    const own = (await t.http().get(`/api/contributions/${spam.body.id}`).set(bob.auth).expect(200)).body;
    expect(own).toMatchObject({ status: 'rejected', moderation: { reason: 'spam', note: 'Advertising.' } });

    await decide(ok.body.id, mod, { action: 'hide', reason: 'personal_data', note: 'Contains a phone number.' }).expect(
      200,
    );
    const pub = (await t.http().get(`/api/contributions/${ok.body.id}`).expect(200)).body;
    expect(pub).toMatchObject({ status: 'hidden', redacted: true, body: '', moderation: { reason: 'personal_data' } });
    expect(pub.moderation.note).toBeUndefined();
    const thread = (await t.http().get(`/api/paragraphs/${pre.paragraphs['1']}/contributions`).expect(200)).body;
    expect(thread.items.find((x: { id: string }) => x.id === ok.body.id)).toMatchObject({ status: 'hidden', body: '' });
    const author = (await t.http().get(`/api/contributions/${ok.body.id}`).set(alice.auth).expect(200)).body;
    expect(author).toMatchObject({
      body: 'Fine text',
      moderation: { reason: 'personal_data', note: 'Contains a phone number.' },
    });
    const events = (await t.http().get(`/api/consultations/${pre.consultationId}/events`).expect(200)).body.events;
    const hidden = events.find(
      (e: { type: string; data: { id: string } }) => e.type === 'contribution.hidden' && e.data.id === ok.body.id,
    );
    expect(hidden.data).toEqual(expect.objectContaining({ status: 'hidden', reason: 'personal_data' }));
    expect(JSON.stringify(hidden.data)).not.toContain('Fine text');
  });

  it('refuses impossible decisions, bad reasons, and moderators of another consultation', async () => {
    const c = await submit(pre, alice, 'to be judged');
    const bad = await decide(c.body.id, mod, { action: 'hide', reason: 'spam' });
    expect(bad.status).toBe(409);
    expect(bad.body.error.code).toBe('BAD_DECISION');
    expect((await decide(c.body.id, mod, { action: 'approve', reason: 'because' })).status).toBe(400);
    expect((await decide(c.body.id, mod, { action: 'delete', reason: 'spam' })).status).toBe(400);
    expect((await decide(c.body.id, otherMod, { action: 'approve', reason: 'other' })).status).toBe(403);
    expect((await decide(c.body.id, alice, { action: 'approve', reason: 'other' })).status).toBe(403);
    const bulk = await t
      .http()
      .post(`/api/consultations/${pre.consultationId}/decisions`)
      .set(otherMod.auth)
      .send({ contributionIds: [c.body.id], action: 'approve', reason: 'other' });
    expect(bulk.status).toBe(403);
    expect((await t.http().get(`/api/contributions/${c.body.id}`).set(mod.auth).expect(200)).body.status).toBe(
      'pending',
    );
  });

  it('clears a queue of hundreds with bulk decisions, each one audited', async () => {
    const c = await openConsultation(t, chair, { policy: 'pre' });
    const writers = await Promise.all(Array.from({ length: 5 }, () => participant(t)));
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) ids.push((await submit(c, writers[i % 5], `item ${i}`, String((i % 3) + 1))).body.id);
    const foreign = (await submit(elsewhere, alice, 'not this consultation')).body.id;
    let queue = (
      await t
        .http()
        .get(`/api/consultations/${c.consultationId}/moderation/queue?limit=500`)
        .set(chair.auth)
        .expect(200)
    ).body;
    expect(queue.counts.pending).toBe(300);
    const first = await t
      .http()
      .post(`/api/consultations/${c.consultationId}/decisions`)
      .set(chair.auth)
      .send({
        contributionIds: [...ids.slice(0, 250), foreign, '00000000-0000-4000-8000-000000000000'],
        action: 'approve',
        reason: 'other',
      })
      .expect(200);
    expect(first.body).toMatchObject({ applied: 250, refused: 2 });
    expect(first.body.results.find((r: { contributionId: string }) => r.contributionId === foreign).error.code).toBe(
      'OTHER_CONSULTATION',
    );
    const second = await t
      .http()
      .post(`/api/consultations/${c.consultationId}/decisions`)
      .set(chair.auth)
      .send({ contributionIds: ids.slice(250), action: 'reject', reason: 'off_topic' })
      .expect(200);
    expect(second.body.applied).toBe(50);
    queue = (await t.http().get(`/api/consultations/${c.consultationId}/moderation/queue`).set(chair.auth).expect(200))
      .body;
    expect(queue.counts.pending).toBe(0);
    expect(queue.items).toEqual([]);
    await listingsSettled(t);
    const published = await t.http().get(`/api/consultations/${c.consultationId}/contributions?limit=200`).expect(200);
    expect(published.body.items).toHaveLength(200);
    const audit = await rows(
      `SELECT action, count(*)::int AS n FROM audit_entries WHERE consultation_id = $1 AND action LIKE 'decision.%' GROUP BY action ORDER BY action`,
      [c.consultationId],
    );
    expect(audit).toEqual([
      { action: 'decision.approve', n: 250 },
      { action: 'decision.reject', n: 50 },
    ]);
    expect(
      (
        await rows('SELECT count(*)::int AS n FROM moderation_decisions WHERE consultation_id = $1', [c.consultationId])
      )[0].n,
    ).toBe(300);
    expect((await t.http().get(`/api/contributions/${foreign}`).set(alice.auth).expect(200)).body.status).toBe(
      'pending',
    );
    const tooMany = await t
      .http()
      .post(`/api/consultations/${c.consultationId}/decisions`)
      .set(chair.auth)
      .send({
        contributionIds: Array.from(
          { length: 501 },
          (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        ),
        action: 'approve',
        reason: 'other',
      });
    expect(tooMany.status).toBe(400);
  });
});

describe('flags', () => {
  let post: OpenConsultation;
  beforeAll(async () => {
    post = await openConsultation(t, chair, { policy: 'post' });
    await t
      .http()
      .post(`/api/consultations/${post.consultationId}/members`)
      .set(chair.auth)
      .send({ userId: mod.id, role: 'moderator' })
      .expect(201);
  });
  const flag = (id: string, who: Actor, reason: string) =>
    t.http().post(`/api/contributions/${id}/flags`).set(who.auth).send({ reason });

  it('once per person, not on one’s own; the threshold puts a published contribution back in the queue without unpublishing it', async () => {
    const c = await submit(post, alice, 'controversial');
    expect((await flag(c.body.id, alice, 'spam')).status).toBe(422);
    const people = await Promise.all(Array.from({ length: 3 }, () => participant(t)));
    expect((await flag(c.body.id, people[0], 'spam').expect(201)).body).toMatchObject({ openFlags: 1, review: null });
    expect((await flag(c.body.id, people[0], 'abusive')).status).toBe(409);
    await flag(c.body.id, people[1], 'off_topic').expect(201);
    expect((await flag(c.body.id, people[2], 'spam').expect(201)).body).toMatchObject({
      openFlags: 3,
      review: 'flagged',
    });
    expect((await t.http().get(`/api/contributions/${c.body.id}`).expect(200)).body.status).toBe('published');
    const queue = (
      await t
        .http()
        .get(`/api/consultations/${post.consultationId}/moderation/queue?flagged=true`)
        .set(mod.auth)
        .expect(200)
    ).body;
    const item = queue.items.find((x: { id: string }) => x.id === c.body.id);
    expect(item).toMatchObject({ review: 'flagged', flags: { spam: 2, off_topic: 1 } });
    expect(queue.counts.flagged).toBeGreaterThanOrEqual(1);
    // Approving it as it is dismisses the flags and takes it out of the queue; the outcome is audited.
    await decide(c.body.id, mod, { action: 'approve', reason: 'other', note: 'Within the rules.' }).expect(200);
    expect(
      (await rows('SELECT DISTINCT outcome FROM flags WHERE contribution_id = $1', [c.body.id])).map((r) => r.outcome),
    ).toEqual(['dismissed']);
    const audit = (
      await t.http().get(`/api/consultations/${post.consultationId}/audit?action=flags`).set(mod.auth).expect(200)
    ).body.entries;
    expect(audit[0]).toMatchObject({ action: 'flags.dismissed', subject: { id: c.body.id }, before: { openFlags: 3 } });
    const again = (
      await t
        .http()
        .get(`/api/consultations/${post.consultationId}/moderation/queue?flagged=true`)
        .set(mod.auth)
        .expect(200)
    ).body;
    expect(again.items.find((x: { id: string }) => x.id === c.body.id)).toBeUndefined();
  });

  it('falsely attributed is urgent at once', async () => {
    const c = await submit(post, bob, 'signed with someone else’s name');
    const res = await flag(c.body.id, alice, 'falsely_attributed').expect(201);
    expect(res.body.review).toBe('urgent');
    const urgent = (
      await t
        .http()
        .get(`/api/consultations/${post.consultationId}/moderation/queue?flagged=urgent`)
        .set(mod.auth)
        .expect(200)
    ).body;
    expect(urgent.items.map((x: { id: string }) => x.id)).toContain(c.body.id);
    await decide(c.body.id, mod, { action: 'hide', reason: 'other', note: 'Impersonation confirmed.' }).expect(200);
    expect((await rows('SELECT outcome FROM flags WHERE contribution_id = $1', [c.body.id]))[0].outcome).toBe('upheld');
    expect((await flag(c.body.id, await participant(t), 'nonsense')).status).toBe(400);
  });
});

describe('the audit trail', () => {
  it('records decisions, member and round changes and versions, for moderators only; the database refuses to change it', async () => {
    const c = await openConsultation(t, chair, { policy: 'pre' });
    await t
      .http()
      .post(`/api/consultations/${c.consultationId}/members`)
      .set(chair.auth)
      .send({ userId: mod.id, role: 'moderator' })
      .expect(201);
    const x = await submit(c, alice, 'audited');
    await decide(x.body.id, mod, { action: 'reject', reason: 'abusive', note: 'Insults.' }).expect(200);
    await t
      .http()
      .patch(`/api/rounds/${c.roundId}`)
      .set(chair.auth)
      .send({ closesAt: new Date(c.closesAt.getTime() + 3600_000).toISOString(), reason: 'More time asked' })
      .expect(200);
    await t
      .http()
      .post(`/api/documents/${c.documentId}/versions`)
      .set(chair.auth)
      .send({ edits: [{ paragraphId: c.paragraphs['2'], text: 'Changed.' }], note: 'rev.1' })
      .expect(201);
    const entries = (await t.http().get(`/api/consultations/${c.consultationId}/audit`).set(mod.auth).expect(200)).body
      .entries;
    const actions = entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'decision.reject',
        'round.extended',
        'version.published',
        'member.added',
        'round.created',
        'document.imported',
      ]),
    );
    const rejected = entries.find((e: { action: string }) => e.action === 'decision.reject');
    expect(rejected).toMatchObject({
      actor: { id: mod.id },
      subject: { type: 'contribution', id: x.body.id },
      reason: 'abusive: Insults.',
      before: { status: 'pending' },
      after: { status: 'rejected' },
    });
    await t.http().get(`/api/consultations/${c.consultationId}/audit`).set(alice.auth).expect(403);
    await t.http().get(`/api/consultations/${c.consultationId}/audit`).set(otherMod.auth).expect(403);
    await expect(
      rows(`UPDATE audit_entries SET reason = 'forged' WHERE consultation_id = $1`, [c.consultationId]),
    ).rejects.toThrow(/append-only/);
    await expect(rows(`DELETE FROM audit_entries WHERE consultation_id = $1`, [c.consultationId])).rejects.toThrow(
      /append-only/,
    );
    await expect(rows(`DELETE FROM moderation_decisions WHERE contribution_id = $1`, [x.body.id])).rejects.toThrow(
      /append-only/,
    );
    const page = await t.http().get(`/api/consultations/${c.consultationId}/audit?limit=2`).set(chair.auth).expect(200);
    const next = await t
      .http()
      .get(`/api/consultations/${c.consultationId}/audit?limit=2&cursor=${page.body.nextCursor}`)
      .set(chair.auth)
      .expect(200);
    expect(next.body.entries[0].id).not.toBe(page.body.entries[1].id);
  });
});

describe('duplicates and campaigns', () => {
  it('finds a planted form-letter campaign as it arrives, counts its signatories, and survives the full job', async () => {
    const c = await openConsultation(t, chair, { policy: 'post' });
    const signers = await Promise.all(
      [
        ['civil_society', 'KE'],
        ['civil_society', 'BR'],
        ['academia', 'DE'],
        ['private_sector', 'JP'],
        ['government', 'IN'],
      ].map(([stakeholderGroup, country]) => participant(t, { stakeholderGroup, country })),
    );
    const r = rng(11);
    const planted = new Set<string>();
    const ordinary: string[] = [];
    for (let i = 0; i < 90; i++) {
      const isCampaign = i % 3 === 0;
      const res = await submit(c, signers[i % 5], isCampaign ? campaignCopy(r) : ordinaryText(r), String((i % 3) + 1));
      (isCampaign ? planted : { add: (id: string) => ordinary.push(id) }).add(res.body.id);
    }
    const exactA = await submit(c, alice, 'The same words, exactly.');
    const exactB = await submit(c, bob, 'the same   WORDS exactly');
    await t.app.get(ClustersService).settled();
    const list = (await t.http().get(`/api/consultations/${c.consultationId}/clusters`).set(chair.auth).expect(200))
      .body;
    const campaign = list.sort((a: { count: number }, b: { count: number }) => b.count - a.count)[0];
    const found = new Set<string>(campaign.members.map((m: { id: string }) => m.id));
    const hits = [...found].filter((id) => planted.has(id)).length;
    expect(hits / found.size).toBeGreaterThanOrEqual(0.95); // precision
    expect(hits / planted.size).toBeGreaterThanOrEqual(0.95); // recall
    expect(campaign.signatories.byGroup.civil_society).toBeGreaterThan(0);
    expect(Object.values(campaign.signatories.byRegion).reduce((a: number, b) => a + (b as number), 0)).toBe(
      campaign.count,
    );
    const exact = list.find((k: { members: { id: string }[] }) => k.members.some((m) => m.id === exactA.body.id));
    expect(exact).toMatchObject({ kind: 'exact', count: 2 });
    expect(exact.members.map((m: { id: string }) => m.id)).toContain(exactB.body.id);

    // Confirm: one counted entry. Split two members out. Nothing is deleted.
    const confirmed = (await t.http().post(`/api/clusters/${campaign.id}/confirm`).set(mod.auth).expect(403),
    await t.http().post(`/api/clusters/${campaign.id}/confirm`).set(chair.auth).expect(200)).body;
    expect(confirmed.status).toBe('confirmed');
    const out = [...found].slice(1, 3);
    const split = (
      await t
        .http()
        .post(`/api/clusters/${campaign.id}/split`)
        .set(chair.auth)
        .send({ contributionIds: out })
        .expect(200)
    ).body;
    expect(split.count).toBe(campaign.count - 2);
    for (const id of out) await t.http().get(`/api/contributions/${id}`).expect(200);
    const stranger = await t
      .http()
      .post(`/api/clusters/${campaign.id}/split`)
      .set(chair.auth)
      .send({ contributionIds: [ordinary[0]] });
    expect(stranger.status).toBe(422);

    // The full job rebuilds suggested clusters and leaves the confirmed one as the moderator left it.
    const job = (
      await t.http().post(`/api/consultations/${c.consultationId}/clusters/recompute`).set(chair.auth).expect(200)
    ).body;
    expect(job.clusters).toBeGreaterThanOrEqual(1);
    const after = (await t.http().get(`/api/clusters/${campaign.id}`).set(chair.auth).expect(200)).body;
    expect(after).toMatchObject({ status: 'confirmed', count: campaign.count - 2 });
    const audit = (
      await t.http().get(`/api/consultations/${c.consultationId}/audit?action=cluster`).set(chair.auth).expect(200)
    ).body.entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'clusters.recomputed',
      'cluster.split',
      'cluster.confirmed',
    ]);
  });
});

describe('dispositions, traceability and the resolution matrix', () => {
  it('answers each contribution, links accepted ones to where they went, and exports the matrix as CSV', async () => {
    const c = await openConsultation(t, chair, { policy: 'post' });
    const amend = await submit(c, alice, 'Say who pays.', '3', {
      kind: 'amendment',
      proposedText: 'Financing mechanisms, publicly funded.',
    });
    const note = await submit(c, bob, 'Agree with the draft.', '1');
    const gone = await submit(c, bob, 'Changed my mind.', '2');
    await t.http().post(`/api/contributions/${gone.body.id}/withdraw`).set(bob.auth).expect(200);
    await t
      .http()
      .put(`/api/contributions/${note.body.id}/disposition`)
      .set(alice.auth)
      .send({ disposition: 'noted', response: 'x' })
      .expect(403);
    await t
      .http()
      .put(`/api/contributions/${note.body.id}/disposition`)
      .set(chair.auth)
      .send({ disposition: 'noted', response: 'Thank you; the text stays.' })
      .expect(200);
    expect(
      (
        await t
          .http()
          .put(`/api/contributions/${gone.body.id}/disposition`)
          .set(chair.auth)
          .send({ disposition: 'noted', response: 'x' })
      ).status,
    ).toBe(409);
    expect(
      (
        await t
          .http()
          .put(`/api/contributions/${note.body.id}/disposition`)
          .set(chair.auth)
          .send({ disposition: 'maybe', response: 'x' })
      ).status,
    ).toBe(400);

    // A revision carries the amendment; the disposition links to the paragraph of the new version.
    const v2 = await t
      .http()
      .post(`/api/documents/${c.documentId}/versions`)
      .set(chair.auth)
      .send({ edits: [{ paragraphId: c.paragraphs['3'], text: 'Financing mechanisms, publicly funded.' }] })
      .expect(201);
    const p3v2 = v2.body.document.sections[0].paragraphs.find((x: { label: string }) => x.label === '3');
    await t
      .http()
      .put(`/api/contributions/${amend.body.id}/disposition`)
      .set(chair.auth)
      .send({ disposition: 'accepted', response: 'Taken up in rev.1.' })
      .expect(200);
    const mine = (await t.http().get(`/api/contributions/${amend.body.id}`).set(alice.auth).expect(200)).body;
    expect(mine.disposition).toMatchObject({
      value: 'accepted',
      response: 'Taken up in rev.1.',
      resultingParagraph: { id: p3v2.id, label: '3', version: 2 },
    });
    await listingsSettled(t);
    const list = (
      await t.http().get(`/api/consultations/${c.consultationId}/contributions?mine=true`).set(alice.auth).expect(200)
    ).body.items;
    expect(list[0].disposition.value).toBe('accepted');
    const bad = await t
      .http()
      .put(`/api/contributions/${amend.body.id}/disposition`)
      .set(chair.auth)
      .send({ disposition: 'accepted', response: 'x', resultingParagraphId: c.paragraphs['3'] });
    expect(bad.status).toBe(422);

    const json = (await t.http().get(`/api/consultations/${c.consultationId}/matrix`).set(chair.auth).expect(200)).body
      .rows;
    expect(json).toHaveLength(2);
    expect(json.find((r: { trackingNumber: string }) => r.trackingNumber === amend.body.trackingNumber)).toMatchObject({
      submitter: expect.any(String),
      group: 'civil_society',
      country: 'KE',
      paragraph: '3',
      kind: 'amendment',
      comment: 'Say who pays.',
      proposedChange: 'Financing mechanisms, publicly funded.',
      disposition: 'accepted',
      response: 'Taken up in rev.1.',
      resultingParagraph: '3 (v2)',
    });
    const csv = await t.http().get(`/api/consultations/${c.consultationId}/matrix?format=csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const records = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(2);
    expect(Object.keys(records[0])).toEqual([
      'Id',
      'Submitter',
      'Organisation',
      'Stakeholder group',
      'Country',
      'Regional group',
      'Paragraph',
      'Version',
      'Type',
      'Comment',
      'Proposed change',
      'Status',
      'Disposition',
      'Response of the secretariat',
      'Resulting paragraph',
      'Submitted',
    ]);
    expect(records.find((r) => r.Id === note.body.trackingNumber)).toMatchObject({
      Disposition: 'noted',
      'Response of the secretariat': 'Thank you; the text stays.',
    });
    const history = await rows('SELECT count(*)::int AS n FROM dispositions WHERE contribution_id = $1', [
      amend.body.id,
    ]);
    expect(history[0].n).toBe(1);
  });

  it('links a contribution accepted before the revision to the paragraph of the revision when it is published', async () => {
    const c = await openConsultation(t, chair, { policy: 'post' });
    const amend = await submit(c, alice, 'Name the registries.', '2', {
      kind: 'amendment',
      proposedText: 'Capacity building with regional registries matters.',
    });
    await t
      .http()
      .put(`/api/contributions/${amend.body.id}/disposition`)
      .set(chair.auth)
      .send({ disposition: 'accepted', response: 'Will be in rev.1.' })
      .expect(200);
    expect(
      (await t.http().get(`/api/contributions/${amend.body.id}`).expect(200)).body.disposition.resultingParagraph,
    ).toBeNull();
    const v2 = await t
      .http()
      .post(`/api/documents/${c.documentId}/versions`)
      .set(chair.auth)
      .send({
        edits: [{ paragraphId: c.paragraphs['2'], text: 'Capacity building with regional registries matters.' }],
      })
      .expect(201);
    const p2 = v2.body.document.sections[0].paragraphs.find((x: { label: string }) => x.label === '2');
    let linked: { id: string; version: number } | null = null;
    for (let i = 0; i < 50 && !linked; i++) {
      linked = (await t.http().get(`/api/contributions/${amend.body.id}`).set(alice.auth).expect(200)).body.disposition
        .resultingParagraph;
      if (!linked) await new Promise((r) => setTimeout(r, 50));
    }
    expect(linked).toMatchObject({ id: p2.id, version: 2 });
    const audit = (
      await t
        .http()
        .get(`/api/consultations/${c.consultationId}/audit?action=disposition.linked`)
        .set(chair.auth)
        .expect(200)
    ).body.entries;
    expect(audit[0]).toMatchObject({
      actor: { id: chair.id },
      subject: { id: amend.body.id },
      after: { resultingParagraphId: p2.id },
    });
  });

  it('gives a whole cluster one disposition', async () => {
    const c = await openConsultation(t, chair, { policy: 'post' });
    const r = rng(5);
    const people = await Promise.all(Array.from({ length: 6 }, () => participant(t)));
    for (const p of people) await submit(c, p, campaignCopy(r));
    await t.app.get(ClustersService).settled();
    const [cluster] = (
      await t.http().get(`/api/consultations/${c.consultationId}/clusters`).set(chair.auth).expect(200)
    ).body;
    expect(cluster.count).toBe(6);
    const res = await t
      .http()
      .put(`/api/clusters/${cluster.id}/disposition`)
      .set(chair.auth)
      .send({ disposition: 'accepted_in_part', response: 'Target added; review mechanism noted.' })
      .expect(200);
    expect(res.body.contributionIds).toHaveLength(6);
    const matrix = (await t.http().get(`/api/consultations/${c.consultationId}/matrix`).expect(200)).body.rows;
    expect(matrix.every((row: { disposition: string }) => row.disposition === 'accepted_in_part')).toBe(true);
  });
});
