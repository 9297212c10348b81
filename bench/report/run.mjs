#!/usr/bin/env node
// bench/report: report generation for 10,000 and 100,000 contributions over 500 paragraphs (BENCH_SIZES), and the
// open-data export of the largest set streamed while the process's memory is sampled. Baseline in the same run:
// reading the same rows with raw pg. Prints times, their ratio to the size ratio, and memory growth.
// Usage: npm run bench:report
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { inProcessApp, root, scratchDatabase, seedContributions } from '../lib.mjs';

const require = createRequire(import.meta.url);
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const { ordinaryText, rng } = require(join(root, 'dist/libs/moderation/src/index.js'));

const GROUPS = [
  'government',
  'intergovernmental',
  'private_sector',
  'civil_society',
  'technical_community',
  'academia',
];
const PLACES = [
  ['KE', 'african'],
  ['BR', 'latin_american_caribbean'],
  ['JP', 'asia_pacific'],
  ['DE', 'western_european_others'],
  ['PL', 'eastern_european'],
];

const db = await scratchDatabase('report');
let app;
try {
  const started = await inProcessApp(db.url);
  app = started.app;
  const { call, accessToken, user } = started;
  const raw = new pg.Client({ connectionString: db.url });
  raw.on('error', () => undefined);
  await raw.connect();
  const r = rng(99);
  const results = [];
  let exportLine = '';
  for (const [k, size] of SIZES.entries()) {
    const c = await (
      await call(
        'POST',
        '/api/consultations',
        { title: `Report bench ${size}`, code: `REP${k}`, moderationPolicy: 'post' },
        accessToken,
      )
    ).json();
    await call('PATCH', `/api/consultations/${c.id}`, { status: 'open' }, accessToken);
    const draft = [
      '# Draft',
      ...Array.from({ length: 500 }, (_, i) => `${i + 1}. Paragraph ${i + 1} on cooperation.`),
    ].join('\n\n');
    const { document } = await (
      await call('POST', `/api/consultations/${c.id}/documents`, { format: 'markdown', content: draft }, accessToken)
    ).json();
    const round = await (
      await call(
        'POST',
        `/api/consultations/${c.id}/rounds`,
        {
          documentId: document.id,
          opensAt: new Date(Date.now() - 60_000).toISOString(),
          closesAt: new Date(Date.now() + 86400_000).toISOString(),
        },
        accessToken,
      )
    ).json();
    const paragraphs = document.sections.flatMap((s) => s.paragraphs);
    const [{ version_id: versionId }] = (
      await raw.query('SELECT version_id FROM paragraphs WHERE id = $1', [paragraphs[0].id])
    ).rows;
    const ctx = {
      code: `REP${k}`,
      consultationId: c.id,
      roundId: round.id,
      documentId: document.id,
      versionId,
      userId: user.id,
    };
    await seedContributions(raw, ctx, size, () => {
      const [country, region] = PLACES[Math.floor(r() * PLACES.length)];
      // Skewed: low-numbered paragraphs draw more comments, as real drafts do.
      return {
        paragraph: paragraphs[Math.floor(paragraphs.length * r() * r())],
        body: ordinaryText(r),
        author: { group: GROUPS[Math.floor(r() * GROUPS.length)], region, country },
      };
    });
    await raw.query('ANALYZE contributions');
    let t0 = performance.now();
    const report = await (await call('POST', `/api/consultations/${c.id}/reports`, {}, accessToken)).json();
    const reportMs = performance.now() - t0;
    t0 = performance.now();
    await raw.query('SELECT * FROM contributions WHERE consultation_id = $1', [c.id]);
    const readMs = performance.now() - t0;
    results.push({ size, reportMs, readMs, contributions: report.summary.contributions });

    if (k === SIZES.length - 1) {
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      t0 = performance.now();
      const res = await call('GET', `/api/consultations/${c.id}/contributions/export?format=jsonl`);
      let lines = 0;
      let bytes = 0;
      const decoder = new TextDecoder();
      for await (const chunk of res.body) {
        bytes += chunk.length;
        lines += (decoder.decode(chunk, { stream: true }).match(/\n/g) ?? []).length;
      }
      clearInterval(timer);
      exportLine = `  open-data export (jsonl): ${lines.toLocaleString('en')} contributions, ${(bytes / 1e6).toFixed(1)} MB streamed in ${((performance.now() - t0) / 1000).toFixed(1)} s; process memory ${(before / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB (+${((peak - before) / 1e6).toFixed(0)} MB for ${(bytes / 1e6).toFixed(0)} MB of output)`;
    }
  }
  await raw.end();
  console.log(`bench/report: reports over 500 paragraphs, PostgreSQL at ${db.host}`);
  for (const x of results) {
    console.log(
      `  ${x.size.toLocaleString('en').padStart(7)} contributions: report ${(x.reportMs / 1000).toFixed(2)} s (goal < 5 s at 100,000); raw pg read of the rows ${(x.readMs / 1000).toFixed(2)} s`,
    );
  }
  if (results.length > 1) {
    const [a, b] = [results[0], results[results.length - 1]];
    console.log(
      `  time ratio ${(b.reportMs / a.reportMs).toFixed(1)}x for ${(b.size / a.size).toFixed(0)}x the contributions`,
    );
  }
  console.log(exportLine);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await app?.close();
  await db.drop();
}
