#!/usr/bin/env node
// npm run test:faults — crash safety under load, against a PostgreSQL cluster of its own (so it may be killed).
//
//  1. Steady submissions from 16 clients (each retries a failed request with the same Idempotency-Key, as a real
//     client would); the app is killed with SIGKILL five times and restarted.
//  2. PostgreSQL is stopped in immediate mode (a crash: no checkpoint) under the same load, kept down 3 seconds and
//     started again. Meanwhile every request must be answered (503) within 5 seconds and /health must say 503;
//     after PostgreSQL is back, submissions must succeed again within 5 seconds.
//  3. Then: every contribution a client was given a 201 for exists with the same tracking number, text and content
//     hash; the consultation's events are numbered 1..n without a gap; each acknowledged contribution has its event.
//
// Needs PostgreSQL's server binaries (Debian's postgresql package); without them it says SKIPPED and exits 0,
// except under CI=true, where it fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, openConsultation, participants, quantiles, root, startApp } from '../../bench/lib.mjs';

const CLIENTS = Number(process.env.FAULT_CLIENTS ?? 16);
const KILLS = 5;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log(`[faults ${new Date().toISOString().slice(11, 23)}]`, ...a);

// ---------- a PostgreSQL cluster of our own ----------
const bin = (() => {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const v = readdirSync(base)
    .filter((d) => existsSync(join(base, d, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return v ? join(base, v, 'bin') : null;
})();
if (!bin) {
  if (process.env.CI)
    throw new Error(
      'test:faults needs PostgreSQL server binaries (apt-get install postgresql) and CI=true forbids skipping.',
    );
  console.warn(
    "SKIPPED: test:faults — no PostgreSQL server binaries under /usr/lib/postgresql (install Debian's postgresql package).",
  );
  process.exit(0);
}
if (!existsSync(join(root, 'dist/apps/api/src/main.js'))) throw new Error('Build first: npm run build');

const asRoot = userInfo().uid === 0;
const pgRun = (cmd, args, opts = {}) => {
  const full = join(bin, cmd);
  const r = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8', ...opts })
    : spawnSync(full, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};
const dataDir = mkdtempSync(join(tmpdir(), 'plenary-faults-pg-'));
if (asRoot) {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dataDir, uid, gid);
}
const pgPort = await freePort();
pgRun('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-instructions']);
const pgStart = () =>
  pgRun('pg_ctl', [
    '-D',
    dataDir,
    '-l',
    join(dataDir, 'server.log'),
    '-o',
    `-p ${pgPort} -k ${dataDir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
    '-w',
    'start',
  ]);
const pgCrash = () => pgRun('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
pgStart();
const adminUrl = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
{
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query('CREATE DATABASE plenary_faults');
  await c.end();
}
const databaseUrl = `postgres://postgres@127.0.0.1:${pgPort}/plenary_faults`;

let app;
const failures = [];
try {
  // ---------- the app, a consultation, participants ----------
  // One data directory (and so one signing secret) across restarts, as in production; tokens stay valid.
  const env = { DB_POOL_SIZE: '20', DATA_DIR: mkdtempSync(join(tmpdir(), 'plenary-faults-app-')), LOG_LEVEL: 'fatal' };
  app = await startApp(databaseUrl, env);
  const { c, paragraphs: all } = await openConsultation(app, 'FLT');
  const paragraphs = all.map((p) => p.id);
  const tokens = await participants(app, CLIENTS, 'drill');

  // ---------- the load ----------
  const acked = new Map(); // trackingNumber -> { id, body, contentHash }
  const statuses = {};
  const outage = { on: false, latencies: [], statuses: {} };
  let firstAfterOutage = null;
  let running = true;
  let base = app.base;
  async function client(i) {
    let n = 0;
    while (running) {
      const body = `Drill client ${i}, contribution ${n++}: keep the record whole.`;
      const key = `drill-${i}-${n}`;
      // Retry the same submission until it is acknowledged (or the drill ends): what a careful client does.
      while (running) {
        const t0 = Date.now();
        let status = 'network';
        try {
          const res = await fetch(`${base}/api/paragraphs/${paragraphs[n % paragraphs.length]}/contributions`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${tokens[i]}`,
              'idempotency-key': key,
            },
            body: JSON.stringify({ kind: 'comment', body }),
            signal: AbortSignal.timeout(15_000),
          });
          status = res.status;
          const json = await res.json().catch(() => null);
          if (res.status === 201) {
            const prev = acked.get(json.trackingNumber);
            if (prev && prev.id !== json.id)
              failures.push(`tracking number ${json.trackingNumber} acknowledged for two contributions`);
            acked.set(json.trackingNumber, { id: json.id, body, contentHash: json.contentHash });
            if (outage.back && !firstAfterOutage) firstAfterOutage = Date.now();
          }
        } catch (e) {
          status = e.name === 'TimeoutError' ? 'timeout' : 'network';
        }
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (outage.on) {
          outage.latencies.push(Date.now() - t0);
          outage.statuses[status] = (outage.statuses[status] ?? 0) + 1;
        }
        if (status === 201) break;
        await sleep(status === 'network' ? 100 : 50);
      }
    }
  }
  const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));

  // ---------- 1. SIGKILL the app five times ----------
  for (let k = 1; k <= KILLS; k++) {
    await sleep(2000);
    const before = acked.size;
    app.child.kill('SIGKILL');
    await new Promise((r) => (app.child.exitCode !== null || app.child.signalCode ? r() : app.child.once('exit', r)));
    log(`kill ${k}: SIGKILL with ${before} acknowledged so far`);
    app = await startApp(databaseUrl, env);
    base = app.base;
  }
  await sleep(2000);

  // ---------- 2. PostgreSQL crashes (immediate stop) under load ----------
  log(`PostgreSQL: immediate stop with ${acked.size} acknowledged so far`);
  pgCrash();
  outage.on = true;
  await sleep(500);
  const health = [];
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    const r = await fetch(`${base}/health`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
    health.push({ status: r?.status ?? 'network', ms: Date.now() - t0 });
    await sleep(500);
  }
  pgStart();
  const backAt = Date.now();
  outage.on = false;
  outage.back = true;
  log('PostgreSQL: started again');
  for (let waited = 0; !firstAfterOutage && waited < 15_000; waited += 100) await sleep(100);
  await sleep(2000);
  running = false;
  await Promise.all(clients);

  const resumeMs = firstAfterOutage ? firstAfterOutage - backAt : null;
  const q = quantiles(outage.latencies);
  log(
    `outage: ${outage.latencies.length} requests answered, statuses ${JSON.stringify(outage.statuses)}, latency p50 ${q.p50} ms, max ${Math.max(0, ...outage.latencies)} ms`,
  );
  log(`/health during the outage: ${health.map((h) => `${h.status} in ${h.ms} ms`).join(', ')}`);
  log(`first 201 after PostgreSQL was back: ${resumeMs} ms`);
  if (outage.latencies.some((ms) => ms > 5000))
    failures.push(`a request hung during the outage: ${Math.max(...outage.latencies)} ms`);
  if (outage.statuses.timeout) failures.push(`${outage.statuses.timeout} requests timed out during the outage`);
  if (!outage.statuses[503]) failures.push('no 503 was seen during the outage');
  if (health.some((h) => h.status !== 503))
    failures.push(`/health did not report the outage: ${JSON.stringify(health)}`);
  if (resumeMs === null || resumeMs > 5000)
    failures.push(`service did not resume within 5 s of the database's return (${resumeMs} ms)`);

  // ---------- 3. nothing lost, nothing altered, no gap ----------
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const rows = (
    await db.query('SELECT id, tracking_number, body, content_hash FROM contributions WHERE consultation_id = $1', [
      c.id,
    ])
  ).rows;
  const byTracking = new Map(rows.map((r) => [r.tracking_number, r]));
  let lost = 0;
  let altered = 0;
  for (const [tracking, a] of acked) {
    const r = byTracking.get(tracking);
    if (!r) lost++;
    else if (r.id !== a.id || r.body !== a.body || r.content_hash !== a.contentHash) altered++;
  }
  const seqs = (await db.query('SELECT seq FROM events WHERE consultation_id = $1 ORDER BY seq', [c.id])).rows.map(
    (r) => Number(r.seq),
  );
  const gaps = seqs.filter((s, i) => s !== i + 1).length;
  const published = new Set(
    (
      await db.query(
        `SELECT data->>'id' AS id FROM events WHERE consultation_id = $1 AND type = 'contribution.published'`,
        [c.id],
      )
    ).rows.map((r) => r.id),
  );
  const withoutEvent = [...acked.values()].filter((a) => !published.has(a.id)).length;
  await db.end();
  log(`acknowledged (201): ${acked.size}; in the database: ${rows.length}; lost: ${lost}; altered: ${altered}`);
  log(
    `events: ${seqs.length}, numbered 1..${seqs.at(-1)}, gaps: ${gaps}; acknowledged contributions without their event: ${withoutEvent}`,
  );
  log(`all answers: ${JSON.stringify(statuses)}`);
  if (acked.size < 100) failures.push(`too little load to mean anything: ${acked.size} acknowledged`);
  if (lost) failures.push(`${lost} acknowledged contributions are missing`);
  if (altered) failures.push(`${altered} acknowledged contributions were altered`);
  if (gaps) failures.push(`${gaps} events out of sequence`);
  if (withoutEvent) failures.push(`${withoutEvent} acknowledged contributions have no event`);
  if (statuses[500]) failures.push(`${statuses[500]} answers were 500`);
} finally {
  if (app?.child && app.child.exitCode === null) app.child.kill('SIGKILL');
  try {
    pgRun('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']);
  } catch {
    /* already down */
  }
  rmSync(dataDir, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`test:faults FAILED:\n - ${failures.join('\n - ')}`);
  process.exit(1);
}
log(
  'test:faults passed: zero lost acknowledged contributions, no event gaps, 503 during the outage, recovery in time.',
);
