import { parse } from 'csv-parse/sync';
import { randomBytes } from 'node:crypto';
import { adminQuery } from '@plenary/database/testing';
import {
  Actor,
  openConsultation,
  OpenConsultation,
  participant,
  startTestApp,
  TestApp,
  withRoles,
} from '../../../test/support';
import { campaignCopy, rng } from './clusters/campaign';
import { ClustersService } from './clusters/clusters.service';

/** Issue 14: moderation's events carry ids, not words; clusters and the matrix show only what the reader may read. */
let t: TestApp;
let chair: Actor;
let mod: Actor;

beforeAll(async () => {
  t = await startTestApp({ SUBMISSION_RATE_LIMIT: '100000', FLAG_REVIEW_THRESHOLD: '3' });
  chair = await withRoles(t, ['chair']);
  mod = await participant(t);
});
afterAll(() => t.close());

const marker = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;
const submit = (c: OpenConsultation, who: Actor, body: Record<string, unknown>, label = '1') =>
  t
    .http()
    .post(`/api/paragraphs/${c.paragraphs[label]}/contributions`)
    .set(who.auth)
    .send({ kind: 'comment', ...body })
    .expect(201);
const decide = (id: string, body: Record<string, unknown>) =>
  t.http().post(`/api/contributions/${id}/decisions`).set(mod.auth).send(body).expect(200);
const addModerator = (c: OpenConsultation) =>
  t
    .http()
    .post(`/api/consultations/${c.consultationId}/members`)
    .set(chair.auth)
    .send({ userId: mod.id, role: 'moderator' })
    .expect(201);

/** The events as stored (kept for ever and replayed on catch-up), not as delivered. */
const storedEvents = (consultationId: string, types: string[]) =>
  adminQuery(
    t.databaseUrl,
    `SELECT type, audience, data FROM events WHERE consultation_id = $1 AND type = ANY($2::text[]) ORDER BY seq`,
    [consultationId, types],
  ) as Promise<{ type: string; audience: string; data: Record<string, unknown> }[]>;

describe('events written by moderation', () => {
  it('carry ids, places, status and codes: no body, proposed text, on-behalf-of, author, note or response', async () => {
    const c = await openConsultation(t, chair, { policy: 'pre' });
    await addModerator(c);
    const secrets = {
      body: marker('BODY'),
      proposed: marker('PROPOSED'),
      behalf: marker('BEHALF'),
      author: marker('AUTHOR'),
      organisation: marker('ORG'),
      note: marker('NOTE'),
      response: marker('RESPONSE'),
      flagNote: marker('FLAGNOTE'),
    };
    const author = await participant(t, {
      displayName: `Writer ${secrets.author}`,
      organisation: `Org ${secrets.organisation}`,
    });
    const others = await Promise.all([participant(t), participant(t), participant(t)]);

    const approved = (
      await submit(c, author, { body: `Approve me ${secrets.body}`, onBehalfOf: `Delegation ${secrets.behalf}` })
    ).body;
    const amendment = (
      await submit(
        c,
        author,
        { kind: 'amendment', body: `Amend ${secrets.body}`, proposedText: `New words ${secrets.proposed}` },
        '2',
      )
    ).body;
    const rejected = (await submit(c, author, { body: `Reject me ${secrets.body}` })).body;

    await decide(approved.id, { action: 'approve', reason: 'other', note: `Fine ${secrets.note}` });
    await decide(amendment.id, { action: 'approve', reason: 'other', note: `Fine ${secrets.note}` });
    await decide(rejected.id, { action: 'reject', reason: 'spam', note: `Spam ${secrets.note}` });
    // Flags: one falsely-attributed flag sends it back for review at once (contribution.flagged).
    await t
      .http()
      .post(`/api/contributions/${amendment.id}/flags`)
      .set(others[0].auth)
      .send({ reason: 'falsely_attributed', note: `Not me ${secrets.flagNote}` })
      .expect(201);
    await decide(amendment.id, { action: 'hide', reason: 'personal_data', note: `Hidden ${secrets.note}` });
    await t
      .http()
      .put(`/api/contributions/${approved.id}/disposition`)
      .set(mod.auth)
      .send({ disposition: 'noted', response: `Thanks ${secrets.response}` })
      .expect(200);

    const events = await storedEvents(c.consultationId, [
      'contribution.published',
      'contribution.moderated',
      'contribution.hidden',
      'contribution.flagged',
      'contribution.disposed',
    ]);
    expect(events.map((e) => e.type).sort()).toEqual(
      [
        'contribution.published',
        'contribution.published',
        'contribution.moderated',
        'contribution.flagged',
        'contribution.hidden',
        'contribution.disposed',
      ].sort(),
    );
    for (const e of events) {
      const json = JSON.stringify(e.data);
      for (const secret of Object.values(secrets))
        expect({ type: e.type, leaked: json.includes(secret) }).toEqual({ type: e.type, leaked: false });
      for (const key of ['body', 'proposedText', 'onBehalfOf', 'diff', 'contentHash', 'author', 'note', 'response'])
        expect(Object.keys(e.data)).not.toContain(key);
    }
    // What they do carry: which contribution (key `id`), where, status and codes.
    const published = events.find((e) => e.type === 'contribution.published' && e.data.id === approved.id)!;
    expect(published.data).toMatchObject({
      id: approved.id,
      trackingNumber: approved.trackingNumber,
      documentId: c.documentId,
      paragraphId: c.paragraphs['1'],
      kind: 'comment',
      status: 'published',
    });
    expect(published.data.moderation).toEqual({ action: 'approve', reason: 'other', at: expect.any(String) });
    expect(events.find((e) => e.type === 'contribution.moderated')!.data).toMatchObject({
      id: rejected.id,
      status: 'rejected',
      moderation: { action: 'reject', reason: 'spam' },
    });
    expect(events.find((e) => e.type === 'contribution.hidden')!.data).toMatchObject({
      id: amendment.id,
      status: 'hidden',
      reason: 'personal_data',
    });
    expect(events.find((e) => e.type === 'contribution.flagged')!.data).toMatchObject({
      id: amendment.id,
      review: 'urgent',
      openFlags: 1,
    });
    expect(events.find((e) => e.type === 'contribution.disposed')!).toMatchObject({
      audience: 'public',
      data: { id: approved.id, disposition: 'noted', resultingParagraphId: null },
    });
  });
});

describe('clusters under the visibility policy', () => {
  it('the public cluster.confirmed event counts only published members and names a published representative', async () => {
    const c = await openConsultation(t, chair, { policy: 'pre' });
    await addModerator(c);
    const r = rng(5);
    const people = await Promise.all(Array.from({ length: 6 }, () => participant(t)));
    const ids: string[] = [];
    for (const p of people) ids.push((await submit(c, p, { body: campaignCopy(r) })).body.id);
    await t.app.get(ClustersService).settled();
    // Under pre-moderation: the first copy (the cluster's representative) stays pending, three are approved, one rejected.
    const published = ids.slice(1, 4);
    for (const id of published) await decide(id, { action: 'approve', reason: 'other' });
    await decide(ids[4], { action: 'reject', reason: 'duplicate' });

    const [cluster] = (await t.http().get(`/api/consultations/${c.consultationId}/clusters`).set(mod.auth).expect(200))
      .body;
    expect(cluster.count).toBe(6); // moderators read every member
    expect(cluster.representative.id).toBe(ids[0]);
    await t.http().get(`/api/consultations/${c.consultationId}/clusters`).set(people[0].auth).expect(403);
    await t.http().post(`/api/clusters/${cluster.id}/confirm`).set(mod.auth).expect(200);

    const [stored] = await storedEvents(c.consultationId, ['cluster.confirmed']);
    expect(stored.audience).toBe('public');
    expect(stored.data).toMatchObject({ id: cluster.id, count: 3 });
    expect(published).toContain(stored.data.representativeId);
    const caughtUp = (await t.http().get(`/api/consultations/${c.consultationId}/events`).expect(200)).body.events;
    expect(caughtUp.find((e: { type: string }) => e.type === 'cluster.confirmed').data).toMatchObject({
      id: cluster.id,
      count: 3,
    });
    // The audit trail (moderators only) keeps the full membership.
    const audit = (
      await t
        .http()
        .get(`/api/consultations/${c.consultationId}/audit?action=cluster.confirmed`)
        .set(mod.auth)
        .expect(200)
    ).body.entries;
    expect(audit[0].after).toMatchObject({ members: 6 });
  });
});

describe('the resolution matrix', () => {
  it('neutralises formula cells in the CSV and holds only what the reader may read', async () => {
    const c = await openConsultation(t, chair, { policy: 'pre' });
    await addModerator(c);
    const writer = await participant(t);
    const hiddenWords = marker('HIDDEN');
    const pendingWords = marker('PENDING');
    const formula = (
      await submit(
        c,
        writer,
        { kind: 'amendment', body: "=cmd|' /C calc'!A0", proposedText: '+SUM(1,2)', onBehalfOf: '@Delegation' },
        '2',
      )
    ).body;
    const hidden = (await submit(c, writer, { body: `Phone ${hiddenWords}`, onBehalfOf: `Behalf ${hiddenWords}` }))
      .body;
    const pending = (await submit(c, writer, { body: `Waiting ${pendingWords}` })).body;
    await decide(formula.id, { action: 'approve', reason: 'other' });
    await decide(hidden.id, { action: 'approve', reason: 'other' });
    await decide(hidden.id, { action: 'hide', reason: 'personal_data' });
    await t
      .http()
      .put(`/api/contributions/${formula.id}/disposition`)
      .set(mod.auth)
      .send({ disposition: 'noted', response: '-1+1 =HYPERLINK("http://x")' })
      .expect(200);

    const csv = await t.http().get(`/api/consultations/${c.consultationId}/matrix?format=csv`).expect(200);
    const records = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.Id)).toEqual([formula.trackingNumber]); // the public: published ones only
    expect(records[0]).toMatchObject({
      Comment: "'=cmd|' /C calc'!A0",
      'Proposed change': "'+SUM(1,2)",
      Organisation: "'@Delegation",
      'Response of the secretariat': `'-1+1 =HYPERLINK("http://x")`,
    });
    for (const row of records) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(csv.text).not.toContain(hiddenWords);
    expect(csv.text).not.toContain(pendingWords);

    const other = await participant(t);
    const seenByOther = (
      await t.http().get(`/api/consultations/${c.consultationId}/matrix`).set(other.auth).expect(200)
    ).body.rows;
    expect(seenByOther.map((r: { contributionId: string }) => r.contributionId)).toEqual([formula.id]);
    expect(seenByOther[0].comment).toBe("=cmd|' /C calc'!A0"); // JSON keeps the text as written

    const seenByModerator = (
      await t.http().get(`/api/consultations/${c.consultationId}/matrix`).set(mod.auth).expect(200)
    ).body.rows;
    expect(seenByModerator.map((r: { contributionId: string }) => r.contributionId)).toEqual([
      formula.id,
      hidden.id,
      pending.id,
    ]);
    const hiddenRow = seenByModerator.find((r: { contributionId: string }) => r.contributionId === hidden.id);
    expect(hiddenRow).toMatchObject({ status: 'hidden', comment: '', proposedChange: null });
    expect(JSON.stringify(hiddenRow)).not.toContain(hiddenWords);
    const moderatorCsv = await t
      .http()
      .get(`/api/consultations/${c.consultationId}/matrix?format=csv`)
      .set(mod.auth)
      .expect(200);
    expect(moderatorCsv.text).not.toContain(hiddenWords);
    expect(moderatorCsv.text).toContain(pendingWords);
  });
});
