import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { EventOutbox } from '@plenary/consultations';
import { HEARTBEAT_MS } from './live.gateway';
import { adminQuery } from '@plenary/database/testing';
import { LiveClient, LiveEvent, Presence, WatchRole } from '@plenary/realtime/client';
import {
  Actor,
  openConsultation,
  OpenConsultation,
  participant,
  startTestApp,
  TestApp,
  withRoles,
} from '../../../test/support';

let t: TestApp;
let url: string;
let chair: Actor;
let author: Actor;
const clients: LiveClient[] = [];

beforeAll(async () => {
  t = await startTestApp({ SUBMISSION_RATE_LIMIT: '100000' });
  url = await t.listen();
  chair = await withRoles(t, ['chair']);
  author = await participant(t);
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});
afterAll(() => t.close());

function client(who?: Actor): LiveClient {
  const c = new LiveClient({ url, token: who ? () => who.token : undefined });
  clients.push(c);
  return c;
}

/** Watches a consultation and collects what arrives. */
async function watcher(who: Actor | undefined, consultationId: string, after = 0) {
  const c = client(who);
  await c.connected();
  const events: LiveEvent[] = [];
  const presence: Presence[] = [];
  const roles: WatchRole[] = [];
  const errors: { code: string }[] = [];
  const w = c.watch(consultationId, {
    after,
    onEvent: (e) => events.push(e),
    onPresence: (p) => presence.push(p),
    onRole: (r) => roles.push(r),
    onError: (e) => errors.push(e),
  });
  await until(() => roles.length > 0 || errors.length > 0);
  return { client: c, events, presence, roles, errors, watch: w };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
/**
 * A later public event in the consultation, and the wait for it to reach these watchers: events of one consultation
 * arrive in order, so whatever was going to arrive before it has (a negative check waits for this, never a sleep).
 */
async function marker(c: OpenConsultation, ...watchers: { events: LiveEvent[] }[]): Promise<void> {
  const res = await comment(c, author, 'marker');
  if (res.body.status === 'pending') {
    await t
      .http()
      .post(`/api/contributions/${res.body.id}/decisions`)
      .set(chair.auth)
      .send({ action: 'approve', reason: 'other' })
      .expect(200);
  }
  await until(() =>
    watchers.every((w) => w.events.some((e) => e.type === 'contribution.published' && e.data.id === res.body.id)),
  );
}

/** The text an event delivered with its contribution (null when the reader may not see it). */
const textOf = (e: { data: Record<string, unknown> }) =>
  (e.data.contribution as { body?: string } | null | undefined)?.body;

const comment = (c: OpenConsultation, who: Actor, body: string, label = '1') =>
  t
    .http()
    .post(`/api/paragraphs/${c.paragraphs[label]}/contributions`)
    .set(who.auth)
    .send({ kind: 'comment', body })
    .expect(201);

describe('live delivery', () => {
  let post: OpenConsultation;
  let pre: OpenConsultation;
  let moderator: Actor;
  beforeAll(async () => {
    post = await openConsultation(t, chair, { policy: 'post' });
    pre = await openConsultation(t, chair, { policy: 'pre' });
    moderator = await participant(t);
    await t
      .http()
      .post(`/api/consultations/${pre.consultationId}/members`)
      .set(chair.auth)
      .send({ userId: moderator.id, role: 'moderator' })
      .expect(201);
  });

  it('a published contribution reaches a subscribed public client, with its receipt and text', async () => {
    const pub = await watcher(undefined, post.consultationId);
    expect(pub.roles).toEqual(['public']);
    const res = await comment(post, author, 'Live and <b>literal</b>');
    await until(() => pub.events.some((e) => e.type === 'contribution.published'));
    const e = pub.events.find((x) => x.type === 'contribution.published')!;
    expect(e.consultationId).toBe(post.consultationId);
    expect(e.data).toMatchObject({
      id: res.body.id,
      trackingNumber: res.body.trackingNumber,
      status: 'published',
      round: 'R1',
    });
    // Events carry ids; the text is read under the visibility policy when the event is delivered.
    expect(e.data).not.toHaveProperty('body');
    expect(e.data.contribution).toMatchObject({ id: res.body.id, body: 'Live and <b>literal</b>' });
    expect(e.prev).toBe(e.seq - 1);
  });

  it('a pending contribution reaches moderators and its author, not the public or other participants', async () => {
    const pub = await watcher(undefined, pre.consultationId);
    const other = await watcher(await participant(t), pre.consultationId);
    const mod = await watcher(moderator, pre.consultationId);
    const own = await watcher(author, pre.consultationId);
    expect(mod.roles).toEqual(['moderator']);
    expect(own.roles).toEqual(['participant']);
    const res = await comment(pre, author, 'awaiting moderation');
    await until(
      () => mod.events.some((e) => e.data.id === res.body.id) && own.events.some((e) => e.data.id === res.body.id),
    );
    expect(mod.events.find((e) => e.data.id === res.body.id)).toMatchObject({
      type: 'contribution.submitted',
      data: { status: 'pending' },
    });
    expect(own.events.find((e) => e.data.id === res.body.id)!.prev).toBeNull();
    await marker(pre, pub, other);
    expect(pub.events.filter((e) => e.data.id === res.body.id)).toEqual([]);
    expect(other.events.filter((e) => e.data.id === res.body.id)).toEqual([]);
  });

  it('refuses a bad or expired token at the handshake, and bad subscriptions cleanly', async () => {
    const bad = new LiveClient({ url, token: () => 'not-a-token' });
    clients.push(bad);
    await expect(bad.connected()).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    const claims = JSON.parse(Buffer.from(author.token.split('.')[1], 'base64url').toString());
    const expired = t.app.get(JwtService).sign({ sub: claims.sub, sid: claims.sid }, { expiresIn: -10 });
    const late = new LiveClient({ url, token: () => expired });
    clients.push(late);
    await expect(late.connected()).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    const c = client();
    await c.connected();
    for (const body of [
      null,
      'x',
      [],
      { consultationId: 'nope' },
      { consultationId: post.consultationId, after: -1 },
      { consultationId: post.consultationId, extra: 1 },
    ]) {
      const ack = await c.socket.timeout(5000).emitWithAck('subscribe', body);
      expect(ack.error.code).toBe('VALIDATION_FAILED');
    }
    const missing = await c.socket
      .timeout(5000)
      .emitWithAck('subscribe', { consultationId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.error.code).toBe('CONSULTATION_NOT_FOUND');
    expect(c.socket.connected).toBe(true);
  });

  it('a client that was disconnected while 20 contributions were made gets all 20, in order, once', async () => {
    const w = await watcher(undefined, post.consultationId);
    const before = w.events.length;
    w.client.socket.disconnect();
    const made: string[] = [];
    for (let i = 0; i < 20; i++) made.push((await comment(post, author, `while away ${i}`)).body.id);
    w.client.socket.connect();
    await until(() => w.events.filter((e) => made.includes(e.data.id as string)).length === 20);
    await marker(post, w);
    const got = w.events
      .slice(before)
      .filter((e) => e.type === 'contribution.published' && made.includes(e.data.id as string));
    expect(got.map((e) => e.data.id)).toEqual(made);
    const seqs = w.events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('a client resuming from a seq it saved gets exactly what came after', async () => {
    const first = await watcher(undefined, post.consultationId);
    await comment(post, author, 'before the reload');
    await until(() => first.events.some((e) => textOf(e) === 'before the reload'));
    const saved = first.watch.lastSeq();
    first.client.close();
    await comment(post, author, 'after the reload');
    const second = await watcher(undefined, post.consultationId, saved);
    await until(() => second.events.some((e) => textOf(e) === 'after the reload'));
    expect(second.events.map((e) => textOf(e))).toEqual(['after the reload']);
  });

  it('an event committed but never relayed (lost between commit and emit) still arrives, from the heartbeat', async () => {
    const c = await openConsultation(t, chair);
    const w = await watcher(undefined, c.consultationId);
    const outbox = t.app.get(EventOutbox);
    await t.app
      .get(DataSource)
      .transaction((tx) =>
        outbox.append(tx, c.consultationId, [{ type: 'test.unannounced', audience: 'public', data: { n: 1 } }]),
      );
    await until(() => w.events.some((e) => e.type === 'test.unannounced'), HEARTBEAT_MS + 3000);
  });

  it('counts who is watching, by role, live', async () => {
    const c = await openConsultation(t, chair);
    const a = await watcher(undefined, c.consultationId);
    const b = await watcher(author, c.consultationId);
    const m = await watcher(chair, c.consultationId);
    const last = () => a.presence[a.presence.length - 1];
    await until(() => last()?.total === 3);
    expect(last().byRole).toEqual({ public: 1, participant: 1, moderator: 1 });
    b.client.close();
    await until(() => last()?.total === 2);
    expect(last().byRole).toEqual({ public: 1, participant: 0, moderator: 1 });
    expect(m.presence.length).toBeGreaterThan(0);
  });
});

describe('revocation', () => {
  it('a moderator removed from the consultation stops receiving pending submissions', async () => {
    const c = await openConsultation(t, chair, { policy: 'pre' });
    const mod = await participant(t);
    await t
      .http()
      .post(`/api/consultations/${c.consultationId}/members`)
      .set(chair.auth)
      .send({ userId: mod.id, role: 'moderator' })
      .expect(201);
    const w = await watcher(mod, c.consultationId);
    const first = await comment(c, author, 'seen by the moderator');
    await until(() => w.events.some((e) => e.data.id === first.body.id));
    // Only a chair removes members, and never the last chair.
    await t.http().delete(`/api/consultations/${c.consultationId}/members/${mod.id}`).set(mod.auth).expect(403);
    await t.http().delete(`/api/consultations/${c.consultationId}/members/${mod.id}`).expect(401);
    const last = await t.http().delete(`/api/consultations/${c.consultationId}/members/${chair.id}`).set(chair.auth);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('LAST_CHAIR');
    const removed = await t
      .http()
      .delete(`/api/consultations/${c.consultationId}/members/${mod.id}`)
      .set(chair.auth)
      .expect(200);
    expect(removed.body.map((m: { userId: string }) => m.userId)).not.toContain(mod.id);
    await t.http().delete(`/api/consultations/${c.consultationId}/members/${mod.id}`).set(chair.auth).expect(404);
    await until(() => w.roles.includes('participant'));
    const second = await comment(c, author, 'not for former moderators');
    // The former moderator still watches as a participant: once an approved marker reaches them, the pending
    // submission before it would have too.
    await marker(c, w);
    expect(w.events.some((e) => e.data.id === second.body.id)).toBe(false);
    expect(w.client.socket.connected).toBe(true);
  });

  it('logout and suspension disconnect the person’s sockets', async () => {
    const c = await openConsultation(t, chair);
    const who = await participant(t);
    const w = await watcher(who, c.consultationId);
    let revoked = false;
    w.client.socket.on('revoked', () => (revoked = true));
    await t.http().post('/api/auth/logout').set(who.auth).expect(204);
    await until(() => revoked && !w.client.socket.connected);

    const other = await participant(t);
    const w2 = await watcher(other, c.consultationId);
    const admin = await withRoles(t, ['admin']);
    await t.http().patch(`/api/users/${other.id}`).set(admin.auth).send({ suspended: true }).expect(200);
    await until(() => !w2.client.socket.connected);
  });
});

describe('token expiry', () => {
  it('closes the connection when the access token expires; the client comes back with its fresh token', async () => {
    const c = await openConsultation(t, chair);
    const claims = JSON.parse(Buffer.from(author.token.split('.')[1], 'base64url').toString());
    let token = t.app.get(JwtService).sign({ sub: claims.sub, sid: claims.sid }, { expiresIn: 2 });
    const live = new LiveClient({ url, token: () => token });
    clients.push(live);
    await live.connected();
    let connects = 0;
    live.socket.on('connect', () => connects++);
    const got: LiveEvent[] = [];
    live.watch(c.consultationId, { onEvent: (e) => got.push(e) });
    token = author.token; // what a web app holds after refreshing
    await until(() => connects === 1, 6000);
    const res = await comment(c, author, 'after the reconnection');
    await until(() => got.some((e) => e.data.id === res.body.id));
  });
});

describe('GET /api/consultations/:id/events', () => {
  it('numbers events per consultation without gaps and shows each caller what they may see', async () => {
    const c = await openConsultation(t, chair, { policy: 'pre' });
    const mine = await comment(c, author, 'pending, mine');
    await comment(c, await participant(t), 'pending, someone else’s');
    await t
      .http()
      .patch(`/api/rounds/${c.roundId}`)
      .set(chair.auth)
      .send({ closesAt: new Date(c.closesAt.getTime() + 3600_000).toISOString() })
      .expect(200);
    const all = (await t.http().get(`/api/consultations/${c.consultationId}/events`).set(chair.auth).expect(200)).body;
    expect(all.events.map((e: LiveEvent) => e.type)).toEqual([
      'round.created',
      'contribution.submitted',
      'contribution.submitted',
      'round.extended',
    ]);
    expect(all.events.map((e: LiveEvent) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(all.head).toBe(4);
    const pub = (await t.http().get(`/api/consultations/${c.consultationId}/events`).expect(200)).body;
    expect(pub.events.map((e: LiveEvent) => e.type)).toEqual(['round.created', 'round.extended']);
    expect(pub.events[1].prev).toBe(1);
    const own = (
      await t.http().get(`/api/consultations/${c.consultationId}/events?after=1`).set(author.auth).expect(200)
    ).body;
    expect(own.events.map((e: LiveEvent) => e.type)).toEqual(['contribution.submitted', 'round.extended']);
    expect(own.events[0].data.id).toBe(mine.body.id);
    expect((await t.http().get(`/api/consultations/${c.consultationId}/events?after=-1`)).status).toBe(400);
    const rows = (await adminQuery(t.databaseUrl, 'SELECT seq FROM events WHERE consultation_id = $1 ORDER BY seq', [
      c.consultationId,
    ])) as { seq: string }[];
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4]);
    await expect(
      adminQuery(t.databaseUrl, `UPDATE events SET type = 'forged' WHERE consultation_id = $1`, [c.consultationId]),
    ).rejects.toThrow(/append-only/);
  });

  it('keeps numbers gapless and unique under concurrent submissions', async () => {
    const c = await openConsultation(t, chair);
    const people = await Promise.all(Array.from({ length: 6 }, () => participant(t)));
    await Promise.all(
      people.flatMap((p, i) => [comment(c, p, `a${i}`), comment(c, p, `b${i}`, '2'), comment(c, p, `c${i}`, '3')]),
    );
    const { body } = await t.http().get(`/api/consultations/${c.consultationId}/events`).expect(200);
    expect(body.events.map((e: LiveEvent) => e.seq)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
  });
});

describe('several processes over Redis', () => {
  const redis = process.env.TEST_REDIS_URL;
  const maybe = redis ? it : it.skip;
  if (!redis) {
    if (process.env.PLENARY_REQUIRE_ALL) throw new Error('Redis is required here (CI) but TEST_REDIS_URL is not set.');
    console.warn(
      'SKIPPED: two app processes over Redis — no Redis answered (set TEST_REDIS_URL or start redis-server).',
    );
  }

  maybe('a contribution POSTed to one process reaches a client connected to another', async () => {
    const a = await startTestApp({ REDIS_URL: redis! }, { databaseUrl: t.databaseUrl });
    const b = await startTestApp({ REDIS_URL: redis! }, { databaseUrl: t.databaseUrl });
    try {
      const urlB = await b.listen();
      await a.listen();
      const c = await openConsultation(a, await withRoles(a, ['chair']));
      const moderatorOnB = await participant(b);
      const watcherB = new LiveClient({ url: urlB });
      clients.push(watcherB);
      await watcherB.connected();
      const got: LiveEvent[] = [];
      let role: string | undefined;
      watcherB.watch(c.consultationId, { onEvent: (e) => got.push(e), onRole: (r) => (role = r) });
      await until(() => role !== undefined);
      const who = await participant(a);
      const res = await a
        .http()
        .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
        .set(who.auth)
        .send({ kind: 'comment', body: 'across processes' })
        .expect(201);
      await until(() => got.some((e) => e.data.id === res.body.id));

      // Revocation crosses processes too: a logout handled by A disconnects the person's socket held by B.
      const socketOnB = new LiveClient({ url: urlB, token: () => moderatorOnB.token });
      clients.push(socketOnB);
      await socketOnB.connected();
      await a.http().post('/api/auth/logout').set(moderatorOnB.auth).expect(204);
      await until(() => !socketOnB.socket.connected, 5000);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
