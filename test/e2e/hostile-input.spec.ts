/**
 * Hostile input. Property-based (fast-check): arbitrary JSON bodies, near-valid bodies with one field replaced by
 * anything, and arbitrary query strings, sent to every route the app registers (as an admin, so requests get past
 * authorisation into validation and the domain rules). Never a 500; every refusal in the error shape; and a refused
 * request changes nothing in the database (a fingerprint of every table is compared before and after).
 * Then the classic abuses one by one: oversized bodies, deep JSON, bad UTF-8, huge query strings, socket events of
 * the wrong shape.
 */
import fc from 'fast-check';
import { request as httpRequest } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import { io } from 'socket.io-client';
import { adminQuery } from '@plenary/database/testing';
import { routes } from '../../apps/api/src/routes';
import {
  type Actor,
  admin,
  listingsSettled,
  openConsultation,
  participant,
  startTestApp,
  type TestApp,
  withRoles,
} from '../support';

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);

let t: TestApp;
let boss: Actor;
let ids: Record<string, string>;
let tables: string[];

/** A fingerprint of every table's content (small test database), to prove a refused request wrote nothing. */
async function fingerprint(): Promise<string> {
  const parts = tables.map(
    (x) => `(SELECT md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) FROM "${x}" t)`,
  );
  const [row] = (await adminQuery(t.databaseUrl, `SELECT md5(concat(${parts.join(', ')})) AS fp`)) as { fp: string }[];
  return row.fp;
}

/** Valid bodies, to mutate one field at a time. */
const TEMPLATES: Record<string, Record<string, unknown>> = {
  'POST /api/auth/register': {
    email: 'x@example.org',
    password: 'correct horse battery staple',
    displayName: 'X',
    stakeholderGroup: 'academia',
    organisation: 'U',
    country: 'KE',
    capacity: 'personal',
  },
  'POST /api/auth/login': { email: 'x@example.org', password: 'correct horse battery staple' },
  'POST /api/auth/refresh': { refreshToken: 'nope' },
  'PATCH /api/me': { displayName: 'Me', organisation: 'Org', country: 'FR' },
  'PATCH /api/users/:id': { roles: ['participant'], verified: true },
  'POST /api/consultations': { title: 'T', moderationPolicy: 'post', code: 'FUZZ' },
  'PATCH /api/consultations/:id': { title: 'T', description: 'D' },
  'POST /api/consultations/:id/members': { email: 'x@example.org', role: 'moderator' },
  'POST /api/consultations/:id/documents': { format: 'text', content: '1. One.' },
  'POST /api/documents/:id/versions': {
    format: 'text',
    content: '1. One.',
    lineage: [{ label: '1', lineageKey: null }],
    note: 'n',
  },
  'POST /api/documents/:id/versions/preview': { format: 'text', content: '1. One.' },
  'POST /api/consultations/:id/rounds': {
    documentId: '00000000-0000-4000-8000-000000000000',
    opensAt: '2030-01-01T00:00:00Z',
    closesAt: '2030-02-01T00:00:00Z',
  },
  'PATCH /api/rounds/:id': { closesAt: '2031-01-01T00:00:00Z', reason: 'r' },
  'POST /api/paragraphs/:id/contributions': { kind: 'amendment', body: 'b', proposedText: 'p' },
  'POST /api/documents/:id/contributions': { kind: 'comment', body: 'b' },
  'PATCH /api/contributions/:id': { body: 'b' },
  'POST /api/contributions/:id/decisions': { action: 'hide', reason: 'spam', note: 'n' },
  'POST /api/consultations/:id/decisions': {
    action: 'hide',
    reason: 'spam',
    contributionIds: ['00000000-0000-4000-8000-000000000000'],
  },
  'POST /api/contributions/:id/flags': { reason: 'spam', note: 'n' },
  'POST /api/clusters/:id/split': { contributionIds: ['00000000-0000-4000-8000-000000000000'] },
  'PUT /api/contributions/:id/disposition': { disposition: 'noted', response: 'r' },
  'PUT /api/clusters/:id/disposition': { disposition: 'noted', response: 'r' },
  'POST /api/consultations/:id/reports': { roundId: '00000000-0000-4000-8000-000000000000' },
};

/** Routes left out of fuzzing, and why. */
const SKIP = new Set([
  'POST /api/auth/logout', // would end the session the fuzzer uses; covered by the authorisation matrix
]);

function pathFor(path: string): string {
  const first = path.split('/')[2];
  return path
    .replace(':userId', ids.member)
    .replace(':n', '1')
    .replace(':name', 'byGroup')
    .replace(':id', ids[first] ?? ids.consultations);
}

beforeAll(async () => {
  t = await startTestApp({ SUBMISSION_RATE_LIMIT: '100000', AUTH_RATE_LIMIT: '100000' });
  boss = await admin(t);
  const chair = await withRoles(t, ['chair']);
  const c = await openConsultation(t, chair);
  const p = await participant(t);
  const member = await participant(t);
  await t
    .http()
    .post(`/api/consultations/${c.consultationId}/members`)
    .set(chair.auth)
    .send({ userId: member.id, role: 'moderator' })
    .expect(201);
  const contribution = (
    await t
      .http()
      .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
      .set(p.auth)
      .send({ kind: 'comment', body: 'A contribution to aim at.' })
      .expect(201)
  ).body.id;
  const letter = 'The same letter, sent by several people so that there is a cluster to aim at as well.';
  for (const who of [p, member, chair])
    await t
      .http()
      .post(`/api/paragraphs/${c.paragraphs['2']}/contributions`)
      .set(who.auth)
      .send({ kind: 'comment', body: letter })
      .expect(201);
  await t.http().post(`/api/consultations/${c.consultationId}/clusters/recompute`).set(chair.auth).expect(200);
  const [cluster] = (await t.http().get(`/api/consultations/${c.consultationId}/clusters`).set(chair.auth).expect(200))
    .body;
  const report = (
    await t.http().post(`/api/consultations/${c.consultationId}/reports`).set(chair.auth).send({}).expect(201)
  ).body.id;
  ids = {
    consultations: c.consultationId,
    documents: c.documentId,
    paragraphs: c.paragraphs['1'],
    contributions: contribution,
    clusters: cluster.id,
    reports: report,
    rounds: c.roundId,
    users: p.id,
    member: member.id,
  };
  tables = (
    (await adminQuery(
      t.databaseUrl,
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migrations', 'sessions', 'refresh_tokens') ORDER BY 1`,
    )) as { tablename: string }[]
  ).map((r) => r.tablename);
  await listingsSettled(t);
});
afterAll(() => t?.close());

const json = fc.jsonValue({ maxDepth: 4 });

describe('fuzzing every route', () => {
  it('never answers 500, always in the error shape, and a refused request writes nothing', async () => {
    const all = routes(t.app).filter(
      (r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/docs') && !SKIP.has(r.key),
    );
    expect(all.length).toBeGreaterThan(50);
    let baseline = await fingerprint();
    let requests = 0;
    for (const r of all) {
      const template = TEMPLATES[r.key];
      const bodies = template
        ? fc.oneof(
            json,
            fc
              .constantFrom(...Object.keys(template))
              .chain((k) => fc.record({ k: fc.constant(k), v: json }).map(({ v }) => ({ ...template, [k]: v }))),
            fc
              .dictionary(fc.string({ maxLength: 12 }), json, { maxKeys: 4 })
              .map((extra) => ({ ...template, ...extra })),
          )
        : json;
      const queries = fc.dictionary(
        fc.string({ maxLength: 10 }),
        fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 })),
        { maxKeys: 4 },
      );
      await fc.assert(
        fc.asyncProperty(bodies, queries, async (body, query) => {
          const qs = new URLSearchParams();
          for (const [k, v] of Object.entries(query)) for (const x of [v].flat()) qs.append(k, x);
          const url = `${pathFor(r.path)}${qs.size ? `?${qs}` : ''}`;
          let req = t.http()[r.method.toLowerCase() as 'get'](url).set(boss.auth);
          if (r.method !== 'GET' && r.method !== 'DELETE')
            req = req.set('content-type', 'application/json').send(JSON.stringify(body));
          const res = await req;
          requests++;
          if (res.status >= 500)
            throw new Error(`${r.key} ${url} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body)}`);
          if (res.status >= 400 && res.headers['content-type']?.includes('json')) {
            if (typeof res.body?.error?.code !== 'string' || typeof res.body?.error?.message !== 'string')
              throw new Error(`${r.key}: error not in shape: ${JSON.stringify(res.body)}`);
          }
          if (r.method === 'GET') return;
          if (res.status >= 400) {
            const now = await fingerprint();
            if (now !== baseline)
              throw new Error(`${r.key} ${JSON.stringify(body)} was refused (${res.status}) but changed the database`);
          } else {
            await new Promise((ok) => setTimeout(ok, 150)); // let work that follows a commit (clustering) finish
            baseline = await fingerprint();
          }
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }
    expect(requests).toBeGreaterThanOrEqual(all.length * RUNS);
    // A fixed number of cases (RUNS per route); the timeout only has to outlast a loaded 2-core machine.
  }, 300_000);
});

/** A raw HTTP request, for what supertest would tidy up (bad bytes, huge URLs). */
function raw(
  method: string,
  path: string,
  body: Buffer | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url + path);
    const req = httpRequest(
      {
        host: u.hostname,
        port: u.port,
        method,
        path: u.pathname + u.search,
        headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...headers },
      },
      (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
let url: string;

describe('the classic abuses', () => {
  beforeAll(async () => {
    url = await t.listen();
  });
  const auth = () => ({ authorization: `Bearer ${boss.token}`, 'content-type': 'application/json' });

  it('refuses an oversized body with 413, before reading it all', async () => {
    const big = Buffer.from(JSON.stringify({ kind: 'comment', body: 'x'.repeat(2_000_000) }));
    const res = await raw('POST', `/api/paragraphs/${ids.paragraphs}/contributions`, big, auth());
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses deeply nested JSON cleanly', async () => {
    const deep = Buffer.from(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    const res = await raw('POST', `/api/paragraphs/${ids.paragraphs}/contributions`, deep, auth());
    expect(res.status).toBe(400);
    const arrays = Buffer.from(`{"kind":"comment","body":${'['.repeat(10000)}${']'.repeat(10000)}}`);
    expect((await raw('POST', `/api/paragraphs/${ids.paragraphs}/contributions`, arrays, auth())).status).toBe(400);
  });

  it('refuses malformed JSON and bad UTF-8 without storing anything', async () => {
    const before = await fingerprint();
    expect(
      (
        await raw(
          'POST',
          `/api/paragraphs/${ids.paragraphs}/contributions`,
          Buffer.from('{"kind":"comment","body":'),
          auth(),
        )
      ).status,
    ).toBe(400);
    const bad = Buffer.concat([
      Buffer.from('{"kind":"comment","body":"caf'),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const res = await raw('POST', `/api/paragraphs/${ids.paragraphs}/contributions`, bad, auth());
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toMatch(/UTF-8/);
    const nul = Buffer.from(JSON.stringify({ kind: 'comment', body: 'null byte \u0000 here' }));
    const r2 = await raw('POST', `/api/paragraphs/${ids.paragraphs}/contributions`, nul, auth());
    expect(r2.status).toBe(400);
    expect(await fingerprint()).toBe(before);
  });

  it('refuses a lone UTF-16 surrogate anywhere in a body or query with 400, storing nothing', async () => {
    const before = await fingerprint();
    const path = `/api/paragraphs/${ids.paragraphs}/contributions`;
    // Sent as the JSON escape: valid UTF-8 on the wire, half a character once parsed.
    for (const body of [
      '{"kind":"comment","body":"\\ud800"}',
      '{"kind":"comment","body":"text then \\udc00 alone"}',
      '{"kind":"amendment","body":"b","proposedText":"\\ude00\\ud83d reversed"}',
      '{"kind":"comment","body":"b","\\ud800":"in a key"}',
    ]) {
      const res = await raw('POST', path, Buffer.from(body), auth());
      expect(res.status).toBe(400);
      const error = JSON.parse(res.body).error;
      expect(error.code).toBe('MALFORMED_BODY');
      expect(error.message).toMatch(/lone UTF-16 surrogate/);
    }
    const profile = await raw('PATCH', '/api/me', Buffer.from('{"displayName":"Name \\udbff"}'), auth());
    expect(profile.status).toBe(400);
    expect(JSON.parse(profile.body).error.message).toMatch(/in "displayName"/);
    const query = await raw('GET', `/api/consultations/${ids.consultations}/contributions?q=%ED%A0%80`, null);
    expect(query.status).toBeLessThan(500);
    expect(await fingerprint()).toBe(before);
    // The same request with a whole character (a surrogate pair) goes through: the positive marker.
    const ok = await raw(
      'POST',
      path,
      Buffer.from('{"kind":"comment","body":"A whole character: \\ud83d\\ude00"}'),
      auth(),
    );
    expect(ok.status).toBe(201);
    expect(JSON.parse(ok.body).body).toBe('A whole character: 😀');
  });

  it('refuses a body that does not decompress as its Content-Encoding says with 400, and an unknown encoding with 415', async () => {
    const before = await fingerprint();
    const path = `/api/paragraphs/${ids.paragraphs}/contributions`;
    const json = Buffer.from(JSON.stringify({ kind: 'comment', body: 'Compressed on the way.' }));
    for (const [encoding, body] of [
      ['deflate', Buffer.from('this is not deflate data at all')],
      ['gzip', Buffer.from('neither is this gzip')],
      ['deflate', deflateSync(json).subarray(0, 12)], // cut short
      ['gzip', Buffer.concat([gzipSync(json).subarray(0, 20), Buffer.from([0xde, 0xad, 0xbe, 0xef])])],
    ] as const) {
      const res = await raw('POST', path, body, { ...auth(), 'content-encoding': encoding });
      expect(res.status).toBe(400);
      const error = JSON.parse(res.body).error;
      expect(error.code).toBe('MALFORMED_BODY');
      expect(error.message).toMatch(/could not be decompressed/);
    }
    for (const encoding of ['compress', 'x-unknown', 'gzip, deflate']) {
      const res = await raw('POST', path, json, { ...auth(), 'content-encoding': encoding });
      expect(res.status).toBe(415);
      const error = JSON.parse(res.body).error;
      expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(error.message).toMatch(/Content-Encoding/);
    }
    expect(await fingerprint()).toBe(before);
    // Well-formed compressed bodies are accepted: the positive marker.
    for (const [encoding, body] of [
      ['deflate', deflateSync(json)],
      ['gzip', gzipSync(json)],
    ] as const) {
      const res = await raw('POST', path, body, { ...auth(), 'content-encoding': encoding });
      expect(res.status).toBe(201);
    }
  });

  it('refuses a huge query string and a huge URL without a 500', async () => {
    const long = `/api/consultations/${ids.consultations}/contributions?q=${'a'.repeat(20_000)}`;
    const res = await raw('GET', long, null);
    expect([400, 414, 431]).toContain(res.status);
    const many = `/api/consultations/${ids.consultations}/contributions?${Array.from({ length: 2000 }, (_, i) => `group=${i}`).join('&')}`;
    expect((await raw('GET', many, null)).status).toBeLessThan(500);
  });

  it('socket messages of any shape get an error answer, and the socket stays usable', async () => {
    const socket = io(`${url}/live`, { transports: ['websocket'], auth: { token: boss.token }, reconnection: false });
    await new Promise<void>((ok, ko) => (socket.once('connect', ok), socket.once('connect_error', ko)));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('subscribe', 'unsubscribe', 'nonsense', '__proto__'),
        fc.jsonValue({ maxDepth: 3 }),
        async (event, payload) => {
          if (event === 'nonsense' || event === '__proto__') return void socket.emit(event, payload); // unknown events are ignored (no answer)
          const ack = await socket
            .timeout(2000)
            .emitWithAck(event, payload)
            .catch((e: Error) => ({ timeout: e.message }));
          const a = ack as { ok?: boolean; error?: { code: string } };
          if (!(a.ok === true || typeof a.error?.code === 'string'))
            throw new Error(`${event} ${JSON.stringify(payload)} → ${JSON.stringify(ack)}`);
        },
      ),
      { numRuns: 60, endOnFailure: true },
    );
    expect(socket.connected).toBe(true);
    const good = (await socket
      .timeout(2000)
      .emitWithAck('subscribe', { consultationId: ids.consultations, after: 0 })) as { ok: boolean };
    expect(good.ok).toBe(true);
    socket.close();
  });
});
