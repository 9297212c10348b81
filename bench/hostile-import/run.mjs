#!/usr/bin/env node
// bench/hostile-import (issue 14): hostile drafts and Word files against the built server, with /health polled
// every 100 ms throughout. Measures the time to refuse a participant's pathological draft, to refuse a 300 MB
// docx bomb, to answer a chair's pathological 900 kB drafts, and the slowest /health answer while they run;
// prints them against the targets and against a baseline measured in the same run (/health with nothing
// running, and the import of a normal draft). Exit code 1 if a target is missed.
// Usage: npm run bench:hostile-import   (builds; PostgreSQL at BENCH_DATABASE_URL or 127.0.0.1:5432)
import { participants, quantiles, scratchDatabase, startApp, stop } from '../lib.mjs';
import { docxBomb } from './docx-bomb.mjs';

const TARGETS = { participant: 1000, bomb: 5000, chair: 5000, health: 1000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function prober(base) {
  const polls = [];
  let on = true;
  const done = (async () => {
    while (on) {
      const t0 = performance.now();
      const status = await fetch(`${base}/health`).then(
        (r) => r.status,
        () => 0,
      );
      polls.push({ at: t0, ms: performance.now() - t0, status });
      await sleep(100);
    }
  })();
  return { polls, stop: async () => ((on = false), await done, polls) };
}

const windows = [];
async function timed(runs, fn) {
  const times = [];
  const statuses = new Set();
  const from = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    statuses.add(await fn(i));
    times.push(performance.now() - t0);
  }
  const w = { from, to: performance.now() };
  windows.push(w);
  return { ...quantiles(times), max: Math.max(...times), statuses: [...statuses], window: w };
}

/** The slowest /health poll that overlapped a scenario's run. */
const healthDuring = (polls, { from, to }) =>
  Math.max(0, ...polls.filter((p) => p.at <= to && p.at + p.ms >= from).map((p) => p.ms));

const db = await scratchDatabase('hostile');
let app;
let failed = false;
try {
  app = await startApp(db.url);
  const { base, call, adminToken } = app;
  const [participant] = await participants(app, 1, 'hostile');
  const c = await call(
    'POST',
    '/api/consultations',
    { title: 'Hostile import bench', code: 'HOST', moderationPolicy: 'post' },
    adminToken,
  );
  await call('PATCH', `/api/consultations/${c.id}`, { status: 'open' }, adminToken);
  const importAs = async (token, body) => {
    const r = await fetch(`${base}/api/consultations/${c.id}/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    await r.arrayBuffer();
    return r.status;
  };

  // Baselines: /health with nothing running, then a normal 100-paragraph draft.
  let probe = prober(base);
  await sleep(3000);
  const idle = await probe.stop();
  const normalDraft = [
    '# A normal draft',
    ...Array.from(
      { length: 100 },
      (_, i) => `${i + 1}. Encourage **regional cooperation** on topic ${i} so that developing countries benefit.`,
    ),
  ].join('\n\n');
  const normal = await timed(5, () => importAs(adminToken, { format: 'markdown', content: normalDraft }));

  // The attacks, with /health polled throughout.
  const bomb = (await docxBomb(300)).toString('base64');
  const mixed = [
    '# Pathological draft',
    `1.${' '.repeat(150_000)}x`,
    `## a${' '.repeat(150_000)}b`,
    `2. ${'*'.repeat(100_000)}`,
    `3. ${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    `(a) ${'('.repeat(100_000)}`,
    `4. ${'.'.repeat(100_000)}`,
    `[^1]: ${'_'.repeat(50_000)}\n${'more\n'.repeat(20_000)}`,
    `5. Cites[^1].${' \t'.repeat(50_000)}y`,
  ].join('\n\n');
  probe = prober(base);
  await sleep(500);
  const measured = {
    participant: await timed(5, () => importAs(participant, { format: 'text', content: `1.${' '.repeat(160_000)}x` })),
    bomb: await timed(3, () => importAs(adminToken, { format: 'docx', content: bomb })),
    chairSpaces: await timed(3, () => importAs(adminToken, { format: 'text', content: `1.${' '.repeat(900_000)}x` })),
    chairHeading: await timed(3, () =>
      importAs(adminToken, { format: 'markdown', content: `# a${' '.repeat(900_000)}b\n\n1. One.` }),
    ),
    chairMixed: await timed(3, () => importAs(adminToken, { format: 'markdown', content: mixed })),
    atCap: await timed(1, () =>
      importAs(adminToken, {
        format: 'text',
        content: Array.from({ length: 20_000 }, (_, i) => `${i + 1}. Paragraph ${i + 1}.`).join('\n\n'),
      }),
    ),
    overCap: await timed(1, () => importAs(adminToken, { format: 'text', content: '1. x\n'.repeat(150_000) })),
  };
  await sleep(500);
  const busy = await probe.stop();

  const h = (polls) => ({
    ...quantiles(polls.map((p) => p.ms)),
    max: Math.max(...polls.map((p) => p.ms)),
    bad: polls.filter((p) => p.status !== 200).length,
  });
  const hi = h(idle);
  const hb = h(busy);
  const ms = (x) => `${x.toFixed(0).padStart(5)} ms`;
  const check = (value, target) => {
    const ok = value < target;
    if (!ok) failed = true;
    return `target < ${target} ms: ${ok ? 'ok' : 'MISSED'}`;
  };
  const row = (label, m, target) =>
    `  ${label.padEnd(46)} ${m.statuses.join('/').padEnd(4)} median ${ms(m.p50)}  max ${ms(m.max)}  /health max ${ms(healthDuring(busy, m.window))}${target ? `   ${check(m.max, target)}` : ''}`;
  console.log(`bench/hostile-import: built server, PostgreSQL at ${db.host}`);
  console.log(`  baseline /health, nothing running:             p50 ${ms(hi.p50)}  max ${ms(hi.max)}  (${hi.n} polls)`);
  console.log(
    row('baseline: a normal 100-paragraph draft', { ...normal, window: { from: 0, to: -1 } }).replace(
      /\/health max +\d+ ms/,
      '                    ',
    ),
  );
  console.log(row('participant: "1." + 160,000 spaces + "x"', measured.participant, TARGETS.participant));
  console.log(
    row(`chair: 300 MB docx bomb (${Math.round((bomb.length * 0.75) / 1024)} kB)`, measured.bomb, TARGETS.bomb),
  );
  console.log(row('chair: "1." + 900,000 spaces + "x" (text)', measured.chairSpaces, TARGETS.chair));
  console.log(row('chair: "# a" + 900,000 spaces + "b" (Markdown)', measured.chairHeading, TARGETS.chair));
  console.log(row('chair: mixed pathological 900 kB (Markdown)', measured.chairMixed, TARGETS.chair));
  console.log(row('chair: 20,000 paragraphs (the cap)', measured.atCap));
  console.log(row('chair: 150,000 paragraphs (over the cap)', measured.overCap));
  console.log(
    `  /health while these ran: p50 ${ms(hb.p50)}  max ${ms(hb.max)}  (${hb.n} polls, ${hb.bad} not 200)   ${check(hb.max, TARGETS.health)}`,
  );
  console.log(
    `  ratios: slowest /health under attack / idle p50 ${(hb.max / hi.p50).toFixed(1)}x; chair's mixed 900 kB / normal draft ${(measured.chairMixed.p50 / normal.p50).toFixed(1)}x`,
  );
  if (hb.bad) failed = true;
  const expected = {
    participant: [403],
    bomb: [413],
    chairSpaces: [201],
    chairHeading: [201],
    chairMixed: [201],
    atCap: [201],
    overCap: [413],
  };
  for (const [k, want] of Object.entries(expected)) {
    if (measured[k].statuses.join() !== want.join()) {
      failed = true;
      console.log(`  UNEXPECTED: ${k} answered ${measured[k].statuses.join('/')}, expected ${want.join('/')}`);
    }
  }
} finally {
  if (app) await stop(app.child);
  await db.drop();
}
process.exitCode = failed ? 1 : 0;
