#!/usr/bin/env node
// bench/clusters: 100,000 generated contributions (BENCH_CONTRIBUTIONS) with a planted form-letter campaign of known
// members. Times the full re-clustering job and the incremental check of new arrivals, and measures precision and
// recall of the campaign's cluster against the planted members. Baselines in the same run: reading the same texts
// with raw pg (the floor of any full job) and one raw pg INSERT of a fingerprint row (the floor of a check).
// Usage: npm run bench:clusters
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { inProcessApp, quantiles, root, scratchDatabase, seedContributions } from '../lib.mjs';

const require = createRequire(import.meta.url);
const N = Number(process.env.BENCH_CONTRIBUTIONS ?? 100_000);
const CAMPAIGN_SHARE = 0.02;
const NEW = 200;

const { ClustersService, campaignCopy, ordinaryText, rng } = require(join(root, 'dist/libs/moderation/src/index.js'));

const db = await scratchDatabase('clusters');
let app;
try {
  const started = await inProcessApp(db.url);
  app = started.app;
  const call = started.json;
  const { accessToken, user } = started;
  const c = await call(
    'POST',
    '/api/consultations',
    { title: 'Clusters bench', code: 'CLU', moderationPolicy: 'post' },
    accessToken,
  );
  await call('PATCH', `/api/consultations/${c.id}`, { status: 'open' }, accessToken);
  const draft = ['# Draft', ...Array.from({ length: 50 }, (_, i) => `${i + 1}. Paragraph ${i + 1}.`)].join('\n\n');
  const { document } = await call(
    'POST',
    `/api/consultations/${c.id}/documents`,
    { format: 'markdown', content: draft },
    accessToken,
  );
  const round = await call(
    'POST',
    `/api/consultations/${c.id}/rounds`,
    {
      documentId: document.id,
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt: new Date(Date.now() + 86400_000).toISOString(),
    },
    accessToken,
  );
  const paragraphs = document.sections.flatMap((s) => s.paragraphs);

  // Seed the contributions directly (the bench measures clustering, not submission).
  const raw = new pg.Client({ connectionString: db.url });
  await raw.connect();
  const [{ version_id: versionId }] = (
    await raw.query('SELECT version_id FROM paragraphs WHERE id = $1', [paragraphs[0].id])
  ).rows;
  const r = rng(2026);
  const planted = new Set();
  const ctx = {
    code: 'CLU',
    consultationId: c.id,
    roundId: round.id,
    documentId: document.id,
    versionId,
    userId: user.id,
  };
  const author = { group: 'civil_society', region: 'african', country: 'KE' };
  const insert = async (count, campaignShare) => {
    const marks = [];
    const ids = await seedContributions(raw, ctx, count, () => {
      const isCampaign = r() < campaignShare;
      marks.push(isCampaign);
      return {
        paragraph: paragraphs[Math.floor(r() * paragraphs.length)],
        body: isCampaign ? campaignCopy(r) : ordinaryText(r),
        author,
      };
    });
    ids.forEach((id, k) => marks[k] && planted.add(id));
    return ids;
  };
  let t0 = performance.now();
  await insert(N, CAMPAIGN_SHARE);
  const seedMs = performance.now() - t0;

  // Baseline for the full job: reading every text once with raw pg.
  t0 = performance.now();
  await raw.query('SELECT id, body FROM contributions WHERE consultation_id = $1 ORDER BY seq', [c.id]);
  const readMs = performance.now() - t0;

  const clusters = app.get(ClustersService);
  const job = await clusters.rebuild(c.id);

  // Incremental checks: new arrivals, half of them campaign copies.
  const fresh = await insert(NEW, 0.5);
  const checkMs = [];
  for (const id of fresh) {
    const s = performance.now();
    await clusters.check(id);
    checkMs.push(performance.now() - s);
  }
  // Baseline for a check: one raw INSERT of a fingerprint-sized row.
  await raw.query('CREATE TEMP TABLE fp (id uuid primary key, h char(64), sig int[], buckets int[])');
  const baseMs = [];
  const sig = Array.from({ length: 128 }, (_, i) => i);
  for (let i = 0; i < NEW; i++) {
    const s = performance.now();
    await raw.query('INSERT INTO fp VALUES ($1, $2, $3, $4)', [randomUUID(), '0'.repeat(64), sig, sig.slice(0, 32)]);
    baseMs.push(performance.now() - s);
  }

  const { rows: members } = await raw.query(
    `SELECT m.cluster_id, m.contribution_id FROM cluster_members m JOIN clusters k ON k.id = m.cluster_id
      WHERE k.consultation_id = $1 AND k.status <> 'dissolved' AND m.removed_at IS NULL`,
    [c.id],
  );
  const byCluster = new Map();
  for (const m of members) byCluster.set(m.cluster_id, [...(byCluster.get(m.cluster_id) ?? []), m.contribution_id]);
  const largest = [...byCluster.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const hits = largest.filter((id) => planted.has(id)).length;
  const precision = largest.length ? hits / largest.length : 0;
  const recall = hits / planted.size;
  const other = [...byCluster.values()].filter((m) => m !== largest).reduce((n, m) => n + m.length, 0);
  await raw.end();

  const q = quantiles(checkMs);
  const b = quantiles(baseMs);
  console.log(
    `bench/clusters: ${N.toLocaleString('en')} contributions (seeded in ${(seedMs / 1000).toFixed(1)} s), planted campaign of ${planted.size.toLocaleString('en')} copies with small edits`,
  );
  console.log(
    `  full job: ${(job.ms / 1000).toFixed(1)} s (${job.fingerprinted.toLocaleString('en')} fingerprinted, ${job.clusters} clusters, ${job.members} members); raw pg read of the same texts: ${(readMs / 1000).toFixed(2)} s; ratio ${(job.ms / readMs).toFixed(1)}x`,
  );
  console.log(
    `  incremental check: p50 ${q.p50.toFixed(2)} ms, p99 ${q.p99.toFixed(2)} ms over ${NEW} arrivals (goal < 10 ms); raw pg insert of a fingerprint row: p50 ${b.p50.toFixed(2)} ms; ratio ${(q.p50 / b.p50).toFixed(1)}x`,
  );
  console.log(
    `  campaign cluster: ${largest.length.toLocaleString('en')} members; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (goal >= 0.95); other clustered texts: ${other}`,
  );
  if (precision < 0.95 || recall < 0.95 || q.p50 >= 10) process.exitCode = 1;
} finally {
  await app?.close();
  await db.drop();
}
