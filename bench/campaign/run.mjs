#!/usr/bin/env node
// bench/campaign: a mass campaign. BENCH_CAMPAIGN (default 100,000) near-identical submissions from
// BENCH_ACCOUNTS (default 20,000) accounts, sent by BENCH_CLIENTS (default 64) concurrent clients as fast as the
// server takes them, under the default per-account limit (20 per minute): the accounts that send more than that
// are refused with 429 and retry after Retry-After, as a bot would. Mixed in: 2,000 ordinary contributions.
// Then: every 201 has its row (receipt kept); and how long after the burst the campaign is one counted cluster
// (incremental checks, and the full job the server queues when they fall behind), with precision and recall.
// Baseline in the same run: the same rows inserted with raw pg as fast as possible (insert rate ratio).
// Usage: npm run bench:campaign   (PostgreSQL at BENCH_DATABASE_URL, default local)
import { createHmac, randomUUID } from 'node:crypto';
import pg from 'pg';
import { quantiles, scratchDatabase, startApp, stop } from '../lib.mjs';

const N = Number(process.env.BENCH_CAMPAIGN ?? 100_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 20_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const ORDINARY = Number(process.env.BENCH_ORDINARY ?? 2000);
const SECRET = 'campaign-bench-secret-of-at-least-32-characters';
const LETTER =
  'As a concerned citizen I urge the secretariat to protect net neutrality in every region, to guarantee affordable access ' +
  'for rural and indigenous communities, and to keep the internet open, free and governed by all its stakeholders together.';
const OPENERS = ['Dear chair,', 'To the secretariat:', 'Hello,', 'Dear delegates,', 'Respectfully,', ''];
const WORDS =
  'cooperation financing indicators spectrum capacity education gender measurement standards privacy security trust youth'.split(
    ' ',
  );

const b64 = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
/** An HS256 access token the server accepts for this session (the bench sets the server's JWT_SECRET). */
const token = (sub, sid) => {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, sid, iat: now, exp: now + 3600 })}`;
  return `${head}.${createHmac('sha256', SECRET).update(head).digest('base64url')}`;
};

const db = await scratchDatabase('campaign');
const raw = new pg.Client({ connectionString: db.url });
await raw.connect();
let app;
try {
  app = await startApp(db.url, {
    JWT_SECRET: SECRET,
    SUBMISSION_RATE_LIMIT: '20',
    SUBMISSION_RATE_WINDOW: '60',
    DB_POOL_SIZE: '20',
  });
  const { call, adminToken } = app;
  const c = await call(
    'POST',
    '/api/consultations',
    { title: 'Campaign', code: 'CAMP', moderationPolicy: 'post' },
    adminToken,
  );
  await call('PATCH', `/api/consultations/${c.id}`, { status: 'open' }, adminToken);
  const draft = [
    '# Draft',
    ...Array.from({ length: 50 }, (_, i) => `${i + 1}. Paragraph ${i + 1} on an open and governed internet.`),
  ].join('\n\n');
  const { document } = await call(
    'POST',
    `/api/consultations/${c.id}/documents`,
    { format: 'markdown', content: draft },
    adminToken,
  );
  await call(
    'POST',
    `/api/consultations/${c.id}/rounds`,
    {
      documentId: document.id,
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt: new Date(Date.now() + 86400_000).toISOString(),
    },
    adminToken,
  );
  const paragraphs = document.sections.flatMap((s) => s.paragraphs);
  const [{ password_hash: hash }] = (await raw.query(`SELECT password_hash FROM users LIMIT 1`)).rows;
  await raw.query(
    `INSERT INTO users (email, password_hash, display_name, stakeholder_group, organisation, country, region, capacity)
     SELECT 'signer' || g || '@example.org', $1, 'Signer ' || g, 'civil_society', 'Citizens ' || (g % 100), 'US', 'western_european_others', 'personal'
       FROM generate_series(1, ${ACCOUNTS}) g`,
    [hash],
  );
  const sessions = (
    await raw.query(
      `INSERT INTO auth_sessions (user_id) SELECT id FROM users WHERE email LIKE 'signer%' ORDER BY email RETURNING id, user_id`,
    )
  ).rows.map((s) => token(s.user_id, s.id));
  console.log(
    `${ACCOUNTS} accounts with sessions; sending ${N.toLocaleString('en')} campaign submissions and ${ORDINARY} ordinary ones, ${CLIENTS} clients`,
  );

  // The work: campaign letters (a few words varied) mostly on paragraph 1, ordinary comments spread over the rest.
  const jobs = [];
  for (let i = 0; i < N; i++) {
    const opener = OPENERS[i % OPENERS.length];
    jobs.push({
      campaign: true,
      who: i % ACCOUNTS,
      paragraph: paragraphs[i % 10 === 0 ? 1 : 0].id,
      body: `${opener} ${LETTER} Signed, ${i}.`.trim(),
    });
  }
  for (let i = 0; i < ORDINARY; i++) {
    const words = Array.from({ length: 14 }, (_, k) => WORDS[(i * 7 + k * 3 + k * k) % WORDS.length]).join(' ');
    jobs.splice(Math.floor((i / ORDINARY) * jobs.length), 0, {
      campaign: false,
      who: (i * 7919) % ACCOUNTS,
      paragraph: paragraphs[2 + (i % 48)].id,
      body: `Ordinary ${i}: ${words}.`,
    });
  }
  const acked = new Map();
  const statuses = {};
  const latencies = [];
  let next = 0;
  let retries = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const key = randomUUID();
        for (;;) {
          const s = performance.now();
          const res = await fetch(`${app.base}/api/paragraphs/${job.paragraph}/contributions`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${sessions[job.who]}`,
              'idempotency-key': key,
            },
            body: JSON.stringify({ kind: 'comment', body: job.body }),
          });
          const body = await res.json();
          latencies.push(performance.now() - s);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status === 201) {
            acked.set(body.trackingNumber, { id: body.id, campaign: job.campaign });
            break;
          }
          if (res.status !== 429) throw new Error(`${res.status} ${JSON.stringify(body)}`);
          // Rate limited: this account waits as told; the client moves on to other work meanwhile.
          retries++;
          jobs.push(job);
          break;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const q = quantiles(latencies);
  console.log(
    `sent in ${seconds.toFixed(0)} s: ${JSON.stringify(statuses)}; ${(acked.size / seconds).toFixed(0)} accepted/s; latency p50 ${q.p50.toFixed(0)} ms, p99 ${q.p99.toFixed(0)} ms`,
  );

  // Receipts: every 201 has its row.
  const rows = new Map(
    (await raw.query(`SELECT tracking_number, id FROM contributions WHERE consultation_id = $1`, [c.id])).rows.map(
      (r) => [r.tracking_number, r.id],
    ),
  );
  const lost = [...acked].filter(([tn, a]) => rows.get(tn) !== a.id).length;
  console.log(
    `acknowledged ${acked.size.toLocaleString('en')}; rows ${rows.size.toLocaleString('en')}; lost or different: ${lost}`,
  );

  // Clustering: incremental checks after each commit; when they fall CLUSTER_BACKLOG_LIMIT behind, the server
  // queues the full job by itself. Wait until the campaign's cluster holds (nearly) every letter, or 10 minutes.
  const campaignIds = new Set([...acked.values()].filter((a) => a.campaign).map((a) => a.id));
  const t1 = performance.now();
  let biggest = null;
  for (;;) {
    const clusters = await call('GET', `/api/consultations/${c.id}/clusters`, undefined, adminToken);
    biggest = clusters.sort((a, b) => b.count - a.count)[0] ?? null;
    if ((biggest && biggest.count >= campaignIds.size) || performance.now() - t1 > 600_000) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  const caughtUp = (performance.now() - t1) / 1000;
  const detail = await call('GET', `/api/clusters/${biggest.id}`, undefined, adminToken);
  const members = new Set(detail.members.map((m) => m.id));
  const inCampaign = [...members].filter((id) => campaignIds.has(id)).length;
  console.log(
    `clustered ${caughtUp.toFixed(0)} s after the burst (the server ran the full job by itself when the checks fell behind): the campaign's cluster counts ` +
      `${biggest.count.toLocaleString('en')} (signatories by group ${JSON.stringify(biggest.signatories.byGroup)}); precision ${(inCampaign / members.size).toFixed(3)}, recall ${(inCampaign / campaignIds.size).toFixed(3)}`,
  );

  // Baseline: the same number of rows inserted with raw pg (one INSERT per row, CLIENTS connections).
  const pool = new pg.Pool({ connectionString: db.url, max: 20 });
  await pool.query(
    `CREATE TABLE baseline (id uuid PRIMARY KEY, body text, author_id uuid, seq bigserial, at timestamptz DEFAULT now())`,
  );
  const userIds = (await raw.query(`SELECT id FROM users WHERE email LIKE 'signer%' ORDER BY email`)).rows.map(
    (r) => r.id,
  );
  let k = 0;
  const b0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (k < acked.size) {
        const i = k++;
        await pool.query(`INSERT INTO baseline (id, body, author_id) VALUES ($1, $2, $3)`, [
          randomUUID(),
          jobs[i % jobs.length].body,
          userIds[i % userIds.length],
        ]);
      }
    }),
  );
  const baseRate = acked.size / ((performance.now() - b0) / 1000);
  await pool.end();
  console.log(
    `baseline raw pg inserts: ${baseRate.toFixed(0)}/s; plenary / baseline: ${(acked.size / seconds / baseRate).toFixed(2)}`,
  );
  if (lost) process.exitCode = 1;
} finally {
  if (app) await stop(app.child);
  await raw.end();
  await db.drop();
}
