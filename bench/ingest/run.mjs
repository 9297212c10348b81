#!/usr/bin/env node
// bench/ingest: authenticated clients POST contributions to the real server for a fixed time; in the same run a
// bare Node http server with raw `pg` inserts the same rows (baseline). Prints requests/s, the ratio, p50/p99
// latency, non-2xx counts, and checks that every 201 is in the database afterwards.
// Usage: npm run bench:ingest   (PostgreSQL at BENCH_DATABASE_URL or 127.0.0.1:5432; BENCH_SECONDS, BENCH_CLIENTS)
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import {
  freePort,
  openConsultation,
  participants,
  quantiles,
  root,
  scratchDatabase,
  spawnServer,
  startApp,
  stop,
} from '../lib.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const USERS = 50;
const POOL = 10;

const sentence =
  'The draft should recognise the role of **regional internet registries** and of community networks in closing the digital divide. ';
const bodyFor = (i) => `${sentence.repeat(2)}(${i})`;

/** C clients, each sending one request after another for `seconds`; returns latencies, statuses and ids. */
async function load(url, headersFor, bodyOf, seconds) {
  const lat = [];
  const statuses = new Map();
  const ids = [];
  const end = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      while (performance.now() < end) {
        const i = n++;
        const t0 = performance.now();
        const res = await fetch(url(i), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headersFor(c, i) },
          body: JSON.stringify(bodyOf(i)),
        });
        const json = await res.json().catch(() => null);
        lat.push(performance.now() - t0);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201) ids.push(json.id);
      }
    }),
  );
  const { p50, p99 } = quantiles(lat);
  return { requests: lat.length, rps: lat.length / seconds, p50, p99, statuses, ids };
}

const db = await scratchDatabase('ingest');
const dbUrl = new URL(db.url);
const children = [];
try {
  const app = await startApp(db.url, { DB_POOL_SIZE: String(POOL) });
  children.push(app.child);
  const { base, call } = app;
  // One consultation for the app and one (same draft) for the baseline, so their numbering never meets.
  const { paragraphs } = await openConsultation(app, 'BENCH');
  const other = await openConsultation(app, 'BASE');
  const tokens = await participants(app, USERS);
  const me = await call('GET', '/api/me', undefined, tokens[0]);
  const check = new pg.Client({ connectionString: dbUrl.toString() });
  await check.connect();
  const versionId = (await check.query('SELECT version_id FROM paragraphs WHERE id = $1', [other.paragraphs[0].id]))
    .rows[0].version_id;

  const basePort = await freePort();
  const baseline = await spawnServer(
    [join(root, 'bench/ingest/baseline-server.mjs')],
    {
      BASELINE_EVENTS: process.env.BASELINE_EVENTS ?? '1',
      BASELINE_CONFIG: JSON.stringify({
        databaseUrl: dbUrl.toString(),
        port: basePort,
        poolSize: POOL,
        consultationId: other.c.id,
        roundId: other.round.id,
        documentId: other.document.id,
        versionId,
        paragraphs: other.paragraphs.map((p) => ({ id: p.id, label: p.label, lineageKey: p.lineageKey })),
        author: {
          id: me.id,
          name: me.displayName,
          group: me.profile.stakeholderGroup,
          organisation: me.profile.organisation,
          country: me.profile.country,
          region: me.profile.region,
          capacity: me.profile.capacity,
        },
      }),
    },
    'baseline listening',
  );
  children.push(baseline);

  const appRun = (seconds) =>
    load(
      (i) => `${base}/api/paragraphs/${paragraphs[i % paragraphs.length].id}/contributions`,
      (client) => ({ authorization: `Bearer ${tokens[client % USERS]}`, 'idempotency-key': randomUUID() }),
      (i) => ({ kind: 'comment', body: bodyFor(i) }),
      seconds,
    );
  const baseRun = (seconds) =>
    load(
      () => `http://127.0.0.1:${basePort}/c`,
      () => ({}),
      (i) => ({ kind: 'comment', body: bodyFor(i), paragraph: i % paragraphs.length }),
      seconds,
    );

  console.log(
    `bench/ingest: ${CLIENTS} clients, ${SECONDS} s each, pool ${POOL}, ${USERS} accounts, PostgreSQL at ${dbUrl.host}`,
  );
  console.log(
    `baseline writes the contribution row${process.env.BASELINE_EVENTS === '0' ? ' only' : ' and its numbered outbox event, as the app does'}`,
  );
  await baseRun(2); // warm-up
  await appRun(2);
  const b = await baseRun(SECONDS);
  const a = await appRun(SECONDS);

  const present = async (ids) =>
    Number((await check.query('SELECT count(*) AS n FROM contributions WHERE id = ANY($1::uuid[])', [ids])).rows[0].n);
  const [aPresent, bPresent] = [await present(a.ids), await present(b.ids)];
  await check.end();

  const fmt = (r) =>
    `${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   ${r.requests} requests`;
  const non2xx = (r) => [...r.statuses].filter(([s]) => s < 200 || s > 299).reduce((n, [, k]) => n + k, 0);
  console.log(
    `baseline (http + raw pg)  ${fmt(b)}   non-2xx ${non2xx(b)}   201s in database ${bPresent}/${b.ids.length}`,
  );
  console.log(
    `plenary (POST contrib.)   ${fmt(a)}   non-2xx ${non2xx(a)}   201s in database ${aPresent}/${a.ids.length}`,
  );
  console.log(
    `ratio plenary/baseline: ${(a.rps / b.rps).toFixed(2)} (goal >= 0.5)   p99 ratio ${(a.p99 / b.p99).toFixed(2)}`,
  );
  if (non2xx(b) || bPresent !== b.ids.length) {
    console.log('FAILED: the baseline itself failed', Object.fromEntries(b.statuses));
    process.exitCode = 1;
  }
  if (non2xx(a) || aPresent !== a.ids.length) {
    console.log('FAILED: non-2xx responses or acknowledged contributions missing', Object.fromEntries(a.statuses));
    process.exitCode = 1;
  }
} finally {
  for (const ch of children) await stop(ch);
  await db.drop();
}
