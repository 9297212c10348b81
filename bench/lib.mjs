// Shared by the benchmarks: a scratch database, child servers, and numbers.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';

export const root = new URL('../', import.meta.url).pathname;

export const freePort = () =>
  new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

/** A fresh database on the server at BENCH_DATABASE_URL (default local); drop() removes it. */
export async function scratchDatabase(name) {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const db = `plenary_bench_${name}_${process.pid}`;
  await admin.query(`CREATE DATABASE ${db}`);
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  return {
    url: url.toString(),
    host: url.host,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A JSON request to the API at `base` (token optional); throws on a non-2xx answer, returns the Response. */
export function caller(base) {
  return async (method, path, body, token) => {
    const r = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r;
  };
}

/** Starts `node args` and resolves when its output contains `ready`. */
export function spawnServer(args, env, ready) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const on = (d) => {
      out += d;
      if (out.includes(ready) && /failed/.test(String(d))) process.stderr.write(String(d));
      if (out.includes(ready)) resolve(child);
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
}

export const stop = (child) =>
  new Promise((ok) => (child.exitCode !== null ? ok() : (child.once('exit', ok), child.kill('SIGTERM'))));

/** The built API server on `databaseUrl`, with an admin password for setup. */
export async function startApp(databaseUrl, env = {}) {
  const port = await freePort();
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const child = await spawnServer(
    [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      join(root, 'dist/apps/api/src/main.js'),
    ],
    {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'plenary-bench-')),
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      ADMIN_PASSWORD: 'bench-admin-password',
      AUTH_RATE_LIMIT: '100000',
      SUBMISSION_RATE_LIMIT: '1000000',
      SOCKET_RATE_LIMIT: '1000000',
      FLAG_RATE_LIMIT: '100000',
      ...env,
    },
    'Plenary is running',
  );
  const base = `http://127.0.0.1:${port}`;
  const call = async (...args) => (await caller(base)(...args)).json();
  const { accessToken: adminToken } = await call('POST', '/api/auth/login', {
    email: 'admin@plenary.local',
    password: 'bench-admin-password',
  });
  return { child, base, call, adminToken };
}

/** An open, post-moderated consultation with a 20-paragraph draft and a round open for a day. */
export async function openConsultation(app, code) {
  const { call, adminToken } = app;
  const c = await call(
    'POST',
    '/api/consultations',
    { title: `Bench ${code}`, code, moderationPolicy: 'post' },
    adminToken,
  );
  await call('PATCH', `/api/consultations/${c.id}`, { status: 'open' }, adminToken);
  const draft = [
    '# Bench draft',
    ...Array.from({ length: 20 }, (_, i) => `${i + 1}. Paragraph ${i + 1} on **cooperation**.`),
  ].join('\n\n');
  const { document } = await call(
    'POST',
    `/api/consultations/${c.id}/documents`,
    { format: 'markdown', content: draft },
    adminToken,
  );
  const now = Date.now();
  const round = await call(
    'POST',
    `/api/consultations/${c.id}/rounds`,
    {
      documentId: document.id,
      opensAt: new Date(now - 60_000).toISOString(),
      closesAt: new Date(now + 86400_000).toISOString(),
    },
    adminToken,
  );
  return { c, document, round, paragraphs: document.sections.flatMap((s) => s.paragraphs) };
}

/** Registers and signs in `n` participants; returns their access tokens. */
export async function participants(app, n, prefix = 'bench') {
  const tokens = [];
  for (let u = 0; u < n; u++) {
    const email = `${prefix}${u}@example.org`;
    await app.call('POST', '/api/auth/register', {
      email,
      password: 'bench-password-123',
      displayName: `Bench ${u}`,
      stakeholderGroup: 'civil_society',
      organisation: 'Bench',
      country: 'KE',
      capacity: 'personal',
    });
    tokens.push((await app.call('POST', '/api/auth/login', { email, password: 'bench-password-123' })).accessToken);
  }
  return tokens;
}

export function quantiles(values) {
  const v = [...values].sort((a, b) => a - b);
  const q = (p) => (v.length ? v[Math.min(v.length - 1, Math.floor(p * v.length))] : NaN);
  return { p50: q(0.5), p99: q(0.99), n: v.length };
}

/** Resident memory of a process, in bytes (Linux). */
export function rss(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/**
 * Inserts generated contributions straight into the database (benchmarks measure what comes after submission).
 * `next()` gives each row's paragraph, text and author; returns the ids in order.
 */
export async function seedContributions(raw, ctx, count, next) {
  const { randomUUID } = await import('node:crypto');
  const ids = [];
  ctx.seq ??= 0;
  for (let done = 0; done < count; done += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - done) }, () => {
      const { paragraph: p, body, author } = next();
      const id = randomUUID();
      ids.push(id);
      ctx.seq += 1;
      return [
        id,
        ctx.seq,
        `${ctx.code}-R1-${String(ctx.seq).padStart(6, '0')}`,
        p.id,
        p.label,
        p.lineageKey,
        body,
        author.group,
        author.region,
        author.country,
      ];
    });
    await raw.query(
      `INSERT INTO contributions (id, seq, tx, tracking_number, consultation_id, round_id, round_number, document_id, version_id, version_number,
         paragraph_id, paragraph_label, lineage_key, kind, depth, status, body, content_hash, author_id, author_name, author_group,
         author_organisation, author_country, author_region, author_capacity, author_verified, submitted_at)
       SELECT u.id, nextval('contribution_seq'), 1, u.tn, $1, $2, 1, $3, $4, 1, u.pid, u.label, u.lk, 'comment', 0, 'published', u.body, repeat('0', 64), $5, 'Bench',
         u.grp, 'Bench', u.country, u.region, 'personal', false, now()
         FROM unnest($6::uuid[], $7::bigint[], $8::text[], $9::uuid[], $10::text[], $11::uuid[], $12::text[], $13::text[], $14::text[], $15::text[])
           AS u(id, seq, tn, pid, label, lk, body, grp, region, country)`,
      [
        ctx.consultationId,
        ctx.roundId,
        ctx.documentId,
        ctx.versionId,
        ctx.userId,
        ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => batch.map((row) => row[k])),
      ],
    );
  }
  return ids;
}

/**
 * The app in this process (so a bench can reach its services), on `databaseUrl`, signed in as the first admin.
 * `call` returns the fetch Response (throwing on non-2xx); `json` returns the parsed body.
 */
export async function inProcessApp(databaseUrl) {
  const { createRequire } = await import('node:module');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const require = createRequire(import.meta.url);
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
    databaseUrl,
  };
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  await app.get(AdminSeeder).ensureFirstAdmin();
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  const call = caller(base);
  const json = async (...args) => (await call(...args)).json();
  const { accessToken, user } = await json('POST', '/api/auth/login', {
    email: config.adminEmail,
    password: 'bench-admin-password',
  });
  return { app, base, call, json, accessToken, user };
}
