/**
 * The authorisation matrix: every route the app registers, called by seven actors, each answer checked against the
 * rule declared here. A route without a declared rule fails the test, so a new endpoint cannot ship unruled.
 *
 * Expectations: 'ok' is a 2xx (or a 409 for a state conflict such as confirming a cluster twice: the caller got past
 * authorisation); 401, 403, 404 and 422 are exact. 404 is what outsiders get for things they may not know exist;
 * 422 is a rule of the domain (one's own contribution cannot be endorsed or flagged).
 */
import type { Response } from 'supertest';
import {
  type Actor,
  admin,
  ADMIN_PASSWORD,
  listingsSettled,
  openConsultation,
  participant,
  startTestApp,
  type TestApp,
  withRoles,
} from '../../../test/support';
import { routes } from './routes';

type Who = 'public' | 'participant' | 'other' | 'modElsewhere' | 'moderator' | 'chair' | 'admin';
type Expect = 'ok' | 401 | 403 | 404 | 422;
const WHO: Who[] = ['public', 'participant', 'other', 'modElsewhere', 'moderator', 'chair', 'admin'];

const all = (e: Expect): Record<Who, Expect> => Object.fromEntries(WHO.map((w) => [w, e])) as Record<Who, Expect>;
/** Anyone, signed in or not. */
const anyone = all('ok');
/** Anyone signed in. */
const signedIn = { ...all('ok'), public: 401 } as Record<Who, Expect>;
/** Platform admins only. */
const admins = { ...all(403), public: 401, admin: 'ok' } as Record<Who, Expect>;
/** The consultation's chairs (and admins). */
const chairs = { ...all(403), public: 401, chair: 'ok', admin: 'ok' } as Record<Who, Expect>;
/** The consultation's moderators and chairs (and admins). */
const moderators = { ...all(403), public: 401, moderator: 'ok', chair: 'ok', admin: 'ok' } as Record<Who, Expect>;
/** The author of the contribution only. */
const author = { ...all(403), public: 401, participant: 'ok' } as Record<Who, Expect>;
/** Signed in, but not the author: endorsing or flagging one's own contribution is refused as a rule of the domain (422). */
const notAuthor = { ...signedIn, participant: 422 } as Record<Who, Expect>;
/** People who can create consultations: platform chairs and admins. */
const platformChairs = { ...all(403), public: 401, chair: 'ok', admin: 'ok' } as Record<Who, Expect>;

interface Ctx {
  t: TestApp;
  actors: Record<Exclude<Who, 'public'>, Actor>;
  c: Awaited<ReturnType<typeof openConsultation>>;
  contribution: string;
  cluster: string;
  bigCluster: string;
  report: string;
  /** a fresh published contribution by the participant */
  fresh: () => Promise<string>;
}

type Call = (ctx: Ctx, who: Who, as: (r: import('supertest').Test) => import('supertest').Test) => Promise<Response>;
interface Rule {
  who: Record<Who, Expect>;
  call: Call;
}

let extensions = 0;

const RULES: Record<string, Rule> = {
  'GET /health': { who: anyone, call: ({ t }, _w, as) => as(t.http().get('/health')) },
  // accounts
  'POST /api/auth/register': {
    who: anyone,
    call: ({ t }, w, as) =>
      as(t.http().post('/api/auth/register')).send({
        email: `reg-${w}-${Date.now()}@example.org`,
        password: 'correct horse battery staple',
        displayName: 'R',
        stakeholderGroup: 'academia',
        organisation: 'U',
        country: 'KE',
        capacity: 'personal',
      }),
  },
  'POST /api/auth/login': {
    who: anyone,
    call: ({ t, actors }, _w, as) =>
      as(t.http().post('/api/auth/login')).send({
        email: actors.other.email,
        password: 'correct horse battery staple',
      }),
  },
  'POST /api/auth/refresh': {
    who: anyone,
    call: async ({ t, actors }, _w, as) => {
      const s = await t
        .http()
        .post('/api/auth/login')
        .send({ email: actors.other.email, password: 'correct horse battery staple' });
      return as(t.http().post('/api/auth/refresh')).send({ refreshToken: s.body.refreshToken });
    },
  },
  'POST /api/auth/logout': {
    who: signedIn,
    // A second session of the same person is ended, so the actor's own token stays valid for the other routes.
    call: async ({ t, actors }, w) => {
      if (w === 'public') return t.http().post('/api/auth/logout');
      const a = actors[w];
      const s = await t
        .http()
        .post('/api/auth/login')
        .send({ email: a.email, password: w === 'admin' ? ADMIN_PASSWORD : 'correct horse battery staple' });
      return t.http().post('/api/auth/logout').set('Authorization', `Bearer ${s.body.accessToken}`);
    },
  },
  'GET /api/me': { who: signedIn, call: ({ t }, _w, as) => as(t.http().get('/api/me')) },
  'PATCH /api/me': {
    who: signedIn,
    call: ({ t }, _w, as) => as(t.http().patch('/api/me')).send({ displayName: 'Renamed' }),
  },
  'GET /api/users': { who: admins, call: ({ t }, _w, as) => as(t.http().get('/api/users')) },
  'GET /api/users/:id': {
    who: admins,
    call: ({ t, actors }, _w, as) => as(t.http().get(`/api/users/${actors.other.id}`)),
  },
  'PATCH /api/users/:id': {
    who: admins,
    call: ({ t, actors }, _w, as) => as(t.http().patch(`/api/users/${actors.other.id}`)).send({ verified: true }),
  },
  // consultations
  'POST /api/consultations': {
    who: platformChairs,
    call: ({ t }, _w, as) =>
      as(t.http().post('/api/consultations')).send({ title: 'Matrix', moderationPolicy: 'post' }),
  },
  'GET /api/consultations': { who: anyone, call: ({ t }, _w, as) => as(t.http().get('/api/consultations')) },
  'GET /api/consultations/:id': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/consultations/${c.consultationId}`)),
  },
  'PATCH /api/consultations/:id': {
    who: chairs,
    call: ({ t, c }, _w, as) =>
      as(t.http().patch(`/api/consultations/${c.consultationId}`)).send({ description: 'Edited' }),
  },
  'GET /api/consultations/:id/members': {
    who: moderators,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/consultations/${c.consultationId}/members`)),
  },
  'POST /api/consultations/:id/members': {
    who: chairs,
    call: async ({ t, c }, _w, as) =>
      as(t.http().post(`/api/consultations/${c.consultationId}/members`)).send({
        userId: (await participant(t)).id,
        role: 'moderator',
      }),
  },
  'DELETE /api/consultations/:id/members/:userId': {
    who: chairs,
    call: async ({ t, c, actors }, _w, as) => {
      const m = await participant(t);
      await t
        .http()
        .post(`/api/consultations/${c.consultationId}/members`)
        .set(actors.chair.auth)
        .send({ userId: m.id, role: 'moderator' })
        .expect(201);
      return as(t.http().delete(`/api/consultations/${c.consultationId}/members/${m.id}`));
    },
  },
  'GET /api/consultations/:id/events': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/consultations/${c.consultationId}/events`)),
  },
  // documents and rounds
  'POST /api/consultations/:id/documents': {
    who: chairs,
    call: ({ t, c }, _w, as) =>
      as(t.http().post(`/api/consultations/${c.consultationId}/documents`)).send({
        format: 'text',
        content: 'Annex\n\n1. One.',
      }),
  },
  'GET /api/consultations/:id/documents': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/consultations/${c.consultationId}/documents`)),
  },
  'GET /api/documents/:id': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/documents/${c.documentId}`)),
  },
  'GET /api/documents/:id/versions/:n': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/documents/${c.documentId}/versions/1`)),
  },
  'GET /api/documents/:id/diff': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/documents/${c.documentId}/diff?from=1&to=1`)),
  },
  'POST /api/documents/:id/versions': {
    who: chairs,
    call: async ({ t, actors }, _w, as) => {
      const other = await openConsultation(t, actors.chair); // a document of its own, so versions do not pile up on the shared one
      return as(t.http().post(`/api/documents/${other.documentId}/versions`)).send({
        format: 'markdown',
        content: '# Draft\n\n1. Access to information is a right for all.',
      });
    },
  },
  'POST /api/documents/:id/versions/preview': {
    who: chairs,
    call: ({ t, c }, _w, as) =>
      as(t.http().post(`/api/documents/${c.documentId}/versions/preview`)).send({
        format: 'text',
        content: '1. New text.',
      }),
  },
  'GET /api/consultations/:id/rounds': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/consultations/${c.consultationId}/rounds`)),
  },
  'POST /api/consultations/:id/rounds': {
    who: chairs,
    call: ({ t, c }, _w, as) => {
      const start = t.clock.now().getTime() + 30 * 86400_000 + Math.floor(Math.random() * 1e9);
      return as(t.http().post(`/api/consultations/${c.consultationId}/rounds`)).send({
        documentId: c.documentId,
        opensAt: new Date(start).toISOString(),
        closesAt: new Date(start + 3600_000).toISOString(),
      });
    },
  },
  'PATCH /api/rounds/:id': {
    who: chairs,
    // Each call extends the round a little further (a round is only ever extended, never shortened).
    call: ({ t, c }, _w, as) =>
      as(t.http().patch(`/api/rounds/${c.roundId}`)).send({
        closesAt: new Date(t.clock.now().getTime() + 2 * 86400_000 + ++extensions * 3600_000).toISOString(),
      }),
  },
  // contributions
  'POST /api/paragraphs/:id/contributions': {
    who: signedIn,
    call: ({ t, c }, w, as) =>
      as(t.http().post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)).send({
        kind: 'comment',
        body: `From ${w}`,
      }),
  },
  'POST /api/documents/:id/contributions': {
    who: signedIn,
    call: ({ t, c }, w, as) =>
      as(t.http().post(`/api/documents/${c.documentId}/contributions`)).send({
        kind: 'comment',
        body: `General, from ${w}`,
      }),
  },
  'GET /api/paragraphs/:id/contributions': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/paragraphs/${c.paragraphs['1']}/contributions`)),
  },
  'GET /api/documents/:id/contributions': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/documents/${c.documentId}/contributions`)),
  },
  'GET /api/consultations/:id/contributions': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/consultations/${c.consultationId}/contributions`)),
  },
  'GET /api/contributions/:id': {
    who: anyone,
    call: ({ t, contribution }, _w, as) => as(t.http().get(`/api/contributions/${contribution}`)),
  },
  'PATCH /api/contributions/:id': {
    who: author,
    call: ({ t, contribution }, w, as) =>
      as(t.http().patch(`/api/contributions/${contribution}`)).send({ body: `Edited by ${w}` }),
  },
  'POST /api/contributions/:id/withdraw': {
    who: author,
    call: async (ctx, _w, as) => as(ctx.t.http().post(`/api/contributions/${await ctx.fresh()}/withdraw`)),
  },
  'POST /api/contributions/:id/endorsements': {
    who: notAuthor,
    call: ({ t, contribution }, _w, as) => as(t.http().post(`/api/contributions/${contribution}/endorsements`)),
  },
  'DELETE /api/contributions/:id/endorsements': {
    who: { ...signedIn, participant: 404 }, // the author has no endorsement of their own to withdraw
    call: async (ctx, w, as) => {
      const id = await ctx.fresh();
      if (w !== 'public' && w !== 'participant')
        await ctx.t.http().post(`/api/contributions/${id}/endorsements`).set(ctx.actors[w].auth).expect(201);
      return as(ctx.t.http().delete(`/api/contributions/${id}/endorsements`));
    },
  },
  // moderation
  'GET /api/consultations/:id/moderation/queue': {
    who: moderators,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/consultations/${c.consultationId}/moderation/queue`)),
  },
  'POST /api/contributions/:id/decisions': {
    who: moderators,
    call: async (ctx, _w, as) =>
      as(ctx.t.http().post(`/api/contributions/${await ctx.fresh()}/decisions`)).send({
        action: 'hide',
        reason: 'spam',
      }),
  },
  'POST /api/consultations/:id/decisions': {
    who: moderators,
    call: async (ctx, _w, as) =>
      as(ctx.t.http().post(`/api/consultations/${ctx.c.consultationId}/decisions`)).send({
        action: 'hide',
        reason: 'spam',
        contributionIds: [await ctx.fresh()],
      }),
  },
  'POST /api/contributions/:id/flags': {
    who: notAuthor,
    call: ({ t, contribution }, _w, as) =>
      as(t.http().post(`/api/contributions/${contribution}/flags`)).send({ reason: 'off_topic' }),
  },
  'GET /api/consultations/:id/audit': {
    who: moderators,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/consultations/${c.consultationId}/audit`)),
  },
  'GET /api/consultations/:id/clusters': {
    who: moderators,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/consultations/${c.consultationId}/clusters`)),
  },
  'POST /api/consultations/:id/clusters/recompute': {
    who: moderators,
    call: ({ t, c }, _w, as) => as(t.http().post(`/api/consultations/${c.consultationId}/clusters/recompute`)),
  },
  'GET /api/clusters/:id': {
    who: moderators,
    call: ({ t, cluster }, _w, as) => as(t.http().get(`/api/clusters/${cluster}`)),
  },
  'POST /api/clusters/:id/confirm': {
    who: moderators,
    call: ({ t, cluster }, _w, as) => as(t.http().post(`/api/clusters/${cluster}/confirm`)),
  },
  'POST /api/clusters/:id/split': {
    who: moderators,
    call: async ({ t, bigCluster, actors }, _w, as) => {
      const k = await t.http().get(`/api/clusters/${bigCluster}`).set(actors.chair.auth).expect(200);
      return as(t.http().post(`/api/clusters/${bigCluster}/split`)).send({
        contributionIds: [k.body.members[k.body.members.length - 1].id],
      });
    },
  },
  'PUT /api/contributions/:id/disposition': {
    who: moderators,
    call: ({ t, contribution }, _w, as) =>
      as(t.http().put(`/api/contributions/${contribution}/disposition`)).send({
        disposition: 'noted',
        response: 'Thank you.',
      }),
  },
  'PUT /api/clusters/:id/disposition': {
    who: moderators,
    call: ({ t, cluster }, _w, as) =>
      as(t.http().put(`/api/clusters/${cluster}/disposition`)).send({
        disposition: 'noted',
        response: 'Thank you all.',
      }),
  },
  'GET /api/consultations/:id/matrix': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/consultations/${c.consultationId}/matrix`)),
  },
  // reports
  'POST /api/consultations/:id/reports': {
    who: chairs,
    call: ({ t, c }, _w, as) => as(t.http().post(`/api/consultations/${c.consultationId}/reports`)).send({}),
  },
  'GET /api/consultations/:id/reports': {
    who: anyone,
    call: ({ t, c }, _w, as) => as(t.http().get(`/api/consultations/${c.consultationId}/reports`)),
  },
  'GET /api/reports/:id': { who: anyone, call: ({ t, report }, _w, as) => as(t.http().get(`/api/reports/${report}`)) },
  'GET /api/reports/:id/export': {
    who: anyone,
    call: ({ t, report }, _w, as) => as(t.http().get(`/api/reports/${report}/export?format=json`)),
  },
  'GET /api/reports/:id/charts/:name': {
    who: anyone,
    call: ({ t, report }, _w, as) => as(t.http().get(`/api/reports/${report}/charts/byGroup`)),
  },
  'GET /api/consultations/:id/contributions/export': {
    who: anyone,
    call: ({ t, c }, _w, as) =>
      as(t.http().get(`/api/consultations/${c.consultationId}/contributions/export?format=csv`)),
  },
};

/**
 * Query flags that change who may call a route ruled above: each is called and checked like a route of its own.
 * `?original=true` serves a report as stored (it may quote words hidden since): moderators, chairs, admins.
 */
const FLAG_RULES: Record<string, Rule> = {
  'GET /api/reports/:id?original=true': {
    who: moderators,
    call: ({ t, report }, _w, as) => as(t.http().get(`/api/reports/${report}?original=true`)),
  },
};

/** The OpenAPI pages are public documentation. */
const DOCS = /^\/api\/docs/;
/** Nest registers middleware (request ids, logging) on every path as `{/*splat}`: not endpoints. */
const MIDDLEWARE = '{/*splat}';

let t: TestApp;
let ctx: Ctx;

beforeAll(async () => {
  t = await startTestApp({ SUBMISSION_RATE_LIMIT: '100000', AUTH_RATE_LIMIT: '100000' });
  const chair = await withRoles(t, ['chair']);
  const c = await openConsultation(t, chair);
  const elsewhere = await openConsultation(t, chair);
  const [p, other, moderator, modElsewhere] = await Promise.all([
    participant(t),
    participant(t),
    participant(t),
    participant(t),
  ]);
  await t
    .http()
    .post(`/api/consultations/${c.consultationId}/members`)
    .set(chair.auth)
    .send({ userId: moderator.id, role: 'moderator' })
    .expect(201);
  await t
    .http()
    .post(`/api/consultations/${elsewhere.consultationId}/members`)
    .set(chair.auth)
    .send({ userId: modElsewhere.id, role: 'moderator' })
    .expect(201);
  const actors = { participant: p, other, moderator, modElsewhere, chair, admin: await admin(t) };
  const fresh = async () =>
    (
      await t
        .http()
        .post(`/api/paragraphs/${c.paragraphs['2']}/contributions`)
        .set(p.auth)
        .send({ kind: 'comment', body: `Fresh ${Math.random()}` })
        .expect(201)
    ).body.id as string;
  const contribution = await fresh();
  // A campaign, so there is a cluster to look at.
  const letter =
    'We call on every delegation to protect community networks and affordable spectrum in all regions of the world now.';
  for (const who of [other, moderator, modElsewhere, p])
    await t
      .http()
      .post(`/api/paragraphs/${c.paragraphs['3']}/contributions`)
      .set(who.auth)
      .send({ kind: 'comment', body: letter })
      .expect(201);
  // A second, larger one for the split rule, which takes a member out on every authorised call.
  const second =
    'Financing mechanisms must reach small island developing states and least developed countries before anyone else does.';
  for (const who of await Promise.all(Array.from({ length: 8 }, () => participant(t)))) {
    await t
      .http()
      .post(`/api/paragraphs/${c.paragraphs['2']}/contributions`)
      .set(who.auth)
      .send({ kind: 'comment', body: second })
      .expect(201);
  }
  const clusters = await t
    .http()
    .post(`/api/consultations/${c.consultationId}/clusters/recompute`)
    .set(chair.auth)
    .expect(200);
  expect(clusters.body.clusters).toBeGreaterThan(0);
  const list = (await t.http().get(`/api/consultations/${c.consultationId}/clusters`).set(chair.auth).expect(200))
    .body as { id: string; representative: { body: string } }[];
  const k = list.find((x) => x.representative.body === letter)!;
  const big = list.find((x) => x.representative.body === second)!;
  await t.http().post(`/api/clusters/${big.id}/confirm`).set(chair.auth).expect(200); // confirmed clusters survive the recompute rule
  const report = (
    await t.http().post(`/api/consultations/${c.consultationId}/reports`).set(chair.auth).send({}).expect(201)
  ).body.id;
  await listingsSettled(t);
  ctx = { t, actors, c, contribution, cluster: k.id, bigCluster: big.id, report, fresh };
});
afterAll(() => t?.close());

describe('the authorisation matrix', () => {
  it('declares a rule for every route the app registers, and no rule for a route that does not exist', () => {
    const keys = routes(t.app)
      .filter((r) => r.path !== MIDDLEWARE && !DOCS.test(r.path))
      .map((r) => r.key);
    expect(keys.length).toBeGreaterThan(50);
    expect(keys.filter((k) => !RULES[k])).toEqual([]);
    expect(Object.keys(RULES).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('the OpenAPI pages are public', async () => {
    await t.http().get('/api/docs-json').expect(200);
  });

  it.each([...Object.keys(RULES), ...Object.keys(FLAG_RULES)])('%s', async (key) => {
    const rule = RULES[key] ?? FLAG_RULES[key];
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const w of WHO) {
      const as = (r: import('supertest').Test) => (w === 'public' ? r : r.set(ctx.actors[w].auth));
      const res = await rule.call(ctx, w, as);
      const e = rule.who[w];
      const ok = res.status < 300 || res.status === 409;
      got[w] = e === 'ok' ? (ok ? 'ok' : `${res.status} ${res.body?.error?.code ?? ''}`) : String(res.status);
      want[w] = String(e);
    }
    expect(got).toEqual(want);
  });
});
