/**
 * Rate limits hold across processes: two app processes on one database and one Redis share their counts for
 * logins, submissions, flags and live connections (REDIS_URL). Without Redis they would each allow the limit.
 */
import { io } from 'socket.io-client';
import { openConsultation, participant, startTestApp, type TestApp, withRoles } from '../support';

const redis = process.env.TEST_REDIS_URL;
const maybe = redis ? describe : describe.skip;
if (!redis) {
  if (process.env.PLENARY_REQUIRE_ALL) throw new Error('Redis is required here (CI) but TEST_REDIS_URL is not set.');
  console.warn(
    'SKIPPED: rate limits shared through Redis — no Redis answered (set TEST_REDIS_URL or start redis-server).',
  );
}

maybe('rate limits shared through Redis by several processes', () => {
  let setup: TestApp;
  let a: TestApp;
  let b: TestApp;
  const limits = { AUTH_RATE_LIMIT: '4', SUBMISSION_RATE_LIMIT: '4', FLAG_RATE_LIMIT: '3', SOCKET_RATE_LIMIT: '4' };
  beforeAll(async () => {
    setup = await startTestApp({ SUBMISSION_RATE_LIMIT: '1000', AUTH_RATE_LIMIT: '1000' });
    a = await startTestApp({ REDIS_URL: redis!, ...limits }, { databaseUrl: setup.databaseUrl });
    b = await startTestApp({ REDIS_URL: redis!, ...limits }, { databaseUrl: setup.databaseUrl });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await setup?.close();
  });

  it('logins: the fifth attempt is refused whichever process gets it', async () => {
    const who = await participant(setup);
    const statuses: number[] = [];
    for (const app of [a, b, a, b, a])
      statuses.push(
        (await app.http().post('/api/auth/login').send({ email: who.email, password: 'wrong password, twelve+' }))
          .status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });

  it('submissions: four per account per window across both processes', async () => {
    const chair = await withRoles(setup, ['chair']);
    const c = await openConsultation(setup, chair);
    const who = await participant(setup);
    const statuses: number[] = [];
    for (const [i, app] of [a, b, a, b, b].entries()) {
      statuses.push(
        (
          await app
            .http()
            .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
            .set(who.auth)
            .send({ kind: 'comment', body: `Number ${i}` })
        ).status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
    // Another account is not affected.
    const other = await participant(setup);
    await a
      .http()
      .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
      .set(other.auth)
      .send({ kind: 'comment', body: 'Mine' })
      .expect(201);
  });

  it('flags: three per account per minute across both processes', async () => {
    const chair = await withRoles(setup, ['chair']);
    const c = await openConsultation(setup, chair);
    const author = await participant(setup);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(
        (
          await setup
            .http()
            .post(`/api/paragraphs/${c.paragraphs['2']}/contributions`)
            .set(author.auth)
            .send({ kind: 'comment', body: `Flag me ${i}` })
            .expect(201)
        ).body.id,
      );
    const flagger = await participant(setup);
    const statuses: number[] = [];
    for (const [i, app] of [b, a, b, a].entries())
      statuses.push(
        (await app.http().post(`/api/contributions/${ids[i]}/flags`).set(flagger.auth).send({ reason: 'spam' })).status,
      );
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it('live connections: four per address per minute across both processes', async () => {
    const urls = [await a.listen(), await b.listen()];
    const outcomes: string[] = [];
    const sockets = [];
    for (const u of [urls[0], urls[1], urls[0], urls[1], urls[0]]) {
      const s = io(`${u}/live`, { transports: ['websocket'], reconnection: false });
      sockets.push(s);
      outcomes.push(
        await new Promise<string>((ok) => {
          s.once('connect', () => ok('connected'));
          s.once('connect_error', (e: Error & { data?: { code: string } }) => ok(e.data?.code ?? e.message));
        }),
      );
    }
    for (const s of sockets) s.close();
    expect(outcomes).toEqual(['connected', 'connected', 'connected', 'connected', 'RATE_LIMITED']);
  });
});
