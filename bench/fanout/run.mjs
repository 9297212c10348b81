#!/usr/bin/env node
// bench/fanout: N subscribed socket.io clients (the LiveClient helper the web app uses) watch one consultation while
// contributions are POSTed at a fixed rate; each client records delivery latency from the event's commit time. In the
// same run a bare socket.io server broadcasts the same payload size to N clients at the same rate (baseline).
// Prints p50/p99 of both, the ratio, delivered/expected, and server memory per connection of both.
// Usage: npm run bench:fanout   (BENCH_CLIENTS default 1000, BENCH_SECONDS 10, BENCH_RATE 10 per second)
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  freePort,
  openConsultation,
  participants,
  quantiles,
  root,
  rss,
  scratchDatabase,
  spawnServer,
  startApp,
  stop,
} from '../lib.mjs';

const require = createRequire(import.meta.url);
const { LiveClient } = require(join(root, 'dist/libs/realtime/src/client/index.js'));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 10);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Connects N watchers; resolves when all are subscribed. Each records (event id → latency ms). */
async function connectWatchers(url, consultationId) {
  const watchers = [];
  for (let i = 0; i < CLIENTS; i++) {
    const client = new LiveClient({ url });
    const got = new Map();
    let ready;
    const subscribed = new Promise((r) => (ready = r));
    client.watch(consultationId, {
      onRole: () => ready(),
      onEvent: (e) => {
        if (e.type === 'contribution.published' && !got.has(e.seq)) got.set(e.seq, Date.now() - Date.parse(e.at));
      },
    });
    watchers.push({ client, got, subscribed });
    if (i % 100 === 99) await Promise.all(watchers.slice(-100).map((w) => w.subscribed));
  }
  await Promise.all(watchers.map((w) => w.subscribed));
  return watchers;
}

/** Fires `send(i)` RATE times a second for SECONDS; returns how many were sent. */
async function atRate(send) {
  const total = RATE * SECONDS;
  const start = Date.now();
  const inflight = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    if (due > Date.now()) await sleep(due - Date.now());
    inflight.push(send(i));
  }
  await Promise.all(inflight);
  return total;
}

function report(name, watchers, sent, memBefore, memAfter) {
  const lat = watchers.flatMap((w) => [...w.got.values()]);
  const delivered = watchers.reduce((n, w) => n + w.got.size, 0);
  const { p50, p99 } = quantiles(lat);
  const perConn = (memAfter - memBefore) / CLIENTS;
  return { name, p50, p99, delivered, expected: sent * CLIENTS, perConn };
}

const db = await scratchDatabase('fanout');
const children = [];
let result;
try {
  // Plenary
  const app = await startApp(db.url);
  children.push(app.child);
  const consultation = await openConsultation(app, 'FAN');
  const [poster] = await participants(app, 1);
  const paragraph = consultation.paragraphs[0].id;
  const body =
    'The draft should recognise the role of **regional internet registries** and of community networks in closing the digital divide.';
  await sleep(1000);
  const appBefore = rss(app.child.pid);
  const appWatchers = await connectWatchers(app.base, consultation.c.id);
  await sleep(2000);
  const appAfter = rss(app.child.pid);
  let eventSize = 0;
  const sample = new LiveClient({ url: app.base });
  sample.watch(consultation.c.id, { onEvent: (e) => (eventSize = JSON.stringify(e).length) });
  const appSent = await atRate((i) =>
    app.call('POST', `/api/paragraphs/${paragraph}/contributions`, { kind: 'comment', body: `${body} (${i})` }, poster),
  );
  await sleep(3000);
  const a = report('plenary', appWatchers, appSent, appBefore, appAfter);
  for (const w of appWatchers) w.client.close();
  sample.close();

  // Baseline
  const port = await freePort();
  const base = await spawnServer(
    [join(root, 'bench/fanout/baseline-server.mjs')],
    { PORT: String(port) },
    'baseline listening',
  );
  children.push(base);
  const url = `http://127.0.0.1:${port}`;
  await sleep(1000);
  const baseBefore = rss(base.pid);
  const baseWatchers = await connectWatchers(url, 'baseline');
  await sleep(2000);
  const baseAfter = rss(base.pid);
  const baseSent = await atRate((i) => fetch(`${url}/emit?size=${eventSize}&seq=${i + 1}`, { method: 'POST' }));
  await sleep(3000);
  const b = report('baseline', baseWatchers, baseSent, baseBefore, baseAfter);
  for (const w of baseWatchers) w.client.close();

  const line = (r) =>
    `${r.name.padEnd(9)} p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms   delivered ${r.delivered}/${r.expected}   memory/connection ${(r.perConn / 1024).toFixed(1)} kB`;
  console.log(
    `bench/fanout: ${CLIENTS} clients, ${RATE} contributions/s for ${SECONDS} s, event ${eventSize} bytes, PostgreSQL at ${db.host}`,
  );
  console.log(line(b));
  console.log(line(a));
  console.log(
    `ratios plenary/baseline: p99 ${(a.p99 / b.p99).toFixed(2)} (goal <= 1.5)   memory/connection ${(a.perConn / b.perConn).toFixed(2)} (goal <= 1.5)`,
  );
  result = a.delivered === a.expected;
  if (!result) console.log('FAILED: not every event reached every client');
} finally {
  for (const ch of children) await stop(ch);
  await db.drop();
}
process.exit(result ? 0 : 1);
