#!/usr/bin/env node
// bench/import: import and read a generated 1,000-paragraph document through the real app (HTTP),
// against a baseline measured in the same run: raw `pg` inserts and a raw SELECT of the same rows.
// Prints the times, the ratios and the number of SQL queries per document read.
// Usage: npm run build && node bench/import/run.mjs   (uses PostgreSQL at BENCH_DATABASE_URL or 127.0.0.1:5432)
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PARAGRAPHS = 1000;
const READS = 20;

// Count every query any pg client sends (the app's pool and ours).
let queries = 0;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (...args) {
  queries++;
  return original.apply(this, args);
};

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const db = `plenary_bench_${process.pid}`;
await admin.query(`CREATE DATABASE ${db}`);
const url = new URL(adminUrl);
url.pathname = `/${db}`;

const text = [
  '# Generated draft',
  ...Array.from({ length: 10 }, (_, s) => [
    `## Section ${s + 1}`,
    ...Array.from(
      { length: PARAGRAPHS / 10 },
      (_, i) =>
        `${s * (PARAGRAPHS / 10) + i + 1}. Encourage **regional cooperation** on topic ${s}-${i} so that developing countries benefit from shared expertise and infrastructure.`,
    ),
  ]).flat(),
].join('\n\n');

try {
  const { loadConfig } = require(join(root, 'dist/libs/core/src/index.js'));
  const { createApp } = require(join(root, 'dist/apps/api/src/bootstrap.js'));
  const { AdminSeeder } = require(join(root, 'dist/libs/accounts/src/index.js'));
  const config = {
    ...loadConfig({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'plenary-bench-')),
      LOG_LEVEL: 'silent',
      ADMIN_PASSWORD: 'bench-admin-password',
      SEED_DEMO: 'false',
      AUTH_RATE_LIMIT: '100000',
    }),
    databaseUrl: url.toString(),
  };
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  await app.get(AdminSeeder).ensureFirstAdmin();
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const post = async (path, body, token) => {
    const r = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const { accessToken } = await post('/api/auth/login', { email: config.adminEmail, password: 'bench-admin-password' });
  const c = await post('/api/consultations', { title: 'Bench', moderationPolicy: 'post' }, accessToken);
  await fetch(`${base}/api/consultations/${c.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ status: 'open' }),
  });

  let t0 = performance.now();
  const imported = await post(
    `/api/consultations/${c.id}/documents`,
    { format: 'markdown', content: text },
    accessToken,
  );
  const importMs = performance.now() - t0;
  const count = imported.document.sections.reduce((n, s) => n + s.paragraphs.length, 0);

  const readTimes = [];
  let q0 = queries;
  for (let i = 0; i < READS; i++) {
    t0 = performance.now();
    const r = await fetch(`${base}/api/documents/${imported.document.id}`);
    await r.json();
    readTimes.push(performance.now() - t0);
  }
  const queriesPerRead = (queries - q0) / READS;

  // Baseline: the same rows with raw pg, one multi-row insert per 500 rows, and one SELECT.
  const raw = new pg.Client({ connectionString: url.toString() });
  await raw.connect();
  await raw.query(`CREATE TEMP TABLE p (id uuid, position int, label text, text text)`);
  const rows = imported.document.sections.flatMap((s) => s.paragraphs);
  t0 = performance.now();
  await raw.query('BEGIN');
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values = chunk.map((_, k) => `($${k * 4 + 1}, $${k * 4 + 2}, $${k * 4 + 3}, $${k * 4 + 4})`).join(',');
    await raw.query(
      `INSERT INTO p VALUES ${values}`,
      chunk.flatMap((p, k) => [randomUUID(), i + k, p.label, p.text]),
    );
  }
  await raw.query('COMMIT');
  const baseImportMs = performance.now() - t0;
  const baseRead = [];
  for (let i = 0; i < READS; i++) {
    t0 = performance.now();
    await raw.query('SELECT * FROM p ORDER BY position');
    baseRead.push(performance.now() - t0);
  }
  await raw.end();
  await app.close();

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`bench/import: ${count} paragraphs in 10 sections`);
  console.log(
    `  import via API (parse + HTTP + insert): ${importMs.toFixed(1)} ms; raw pg insert baseline: ${baseImportMs.toFixed(1)} ms; ratio ${(importMs / baseImportMs).toFixed(1)}x`,
  );
  console.log(
    `  read via API (median of ${READS}): ${median(readTimes).toFixed(1)} ms; raw pg SELECT baseline: ${median(baseRead).toFixed(1)} ms; ratio ${(median(readTimes) / median(baseRead)).toFixed(1)}x`,
  );
  console.log(`  SQL queries per document read: ${queriesPerRead} (independent of the number of paragraphs)`);
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.end();
}
