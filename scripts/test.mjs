#!/usr/bin/env node
// `npm test`: the whole suite. Uses PostgreSQL on 127.0.0.1:5432 (or TEST_DATABASE_URL) when it answers,
// else starts the embedded database; uses Redis on 127.0.0.1:6379 (or TEST_REDIS_URL) when it answers.
// With CI=true both are required: nothing may be skipped in CI.
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('..', import.meta.url));
const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function pgAnswers(url) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function redisAnswers(url) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(2000, () => done(false));
    s.on('error', () => done(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

const env = { ...process.env };
const notes = [];

// 1. Build: the embedded-database test runs the built server as a user would.
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// 2. Database.
let embedded;
if (await pgAnswers(pgUrl)) {
  env.PLENARY_TEST_DB_KIND = 'server';
  env.PLENARY_TEST_DB_ADMIN_URL = pgUrl;
  notes.push(`database: PostgreSQL server at ${new URL(pgUrl).host}`);
} else if (ci) {
  console.error(`CI: PostgreSQL does not answer at ${pgUrl}; .ci/run should have started it.`);
  process.exit(1);
} else {
  // The build is CommonJS: load it with require, so the named export does not depend on ESM interop guesses.
  const { startEmbeddedPostgres } = createRequire(import.meta.url)(
    join(root, 'dist/libs/database/src/embedded-postgres.js'),
  );
  embedded = await startEmbeddedPostgres(mkdtempSync(join(tmpdir(), 'plenary-test-pglite-')), 20);
  env.PLENARY_TEST_DB_KIND = 'pglite';
  env.PLENARY_TEST_DB_ADMIN_URL = embedded.url;
  notes.push('database: no PostgreSQL answered, so the suite runs on the embedded database (in band)');
}

// 3. Redis and Chromium: tests that need them skip, saying so, when they are missing (never in CI).
if (await redisAnswers(redisUrl)) {
  env.TEST_REDIS_URL = redisUrl;
  notes.push(`redis: ${new URL(redisUrl).host}`);
} else if (ci) {
  console.error(`CI: Redis does not answer at ${redisUrl}; .ci/run should have started it.`);
  process.exit(1);
} else {
  delete env.TEST_REDIS_URL;
  notes.push(`redis: none at ${redisUrl}; tests that need Redis will be SKIPPED`);
}
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(chromium)) env.CHROMIUM_PATH = chromium;
else notes.push(`chromium: none at ${chromium}; browser tests (when there are any) will be SKIPPED`);
if (ci) env.PLENARY_REQUIRE_ALL = '1';

console.log(`\nPlenary test suite\n${notes.map((n) => `  - ${n}`).join('\n')}\n`);

const resultsFile = join(mkdtempSync(join(tmpdir(), 'plenary-jest-')), 'results.json');
const args = [
  join(root, 'node_modules/jest/bin/jest.js'),
  '--json',
  `--outputFile=${resultsFile}`,
  ...process.argv.slice(2),
];
if (env.PLENARY_TEST_DB_KIND === 'pglite') args.push('--runInBand');
else if (!process.argv.includes('--runInBand') && !process.argv.some((a) => a.startsWith('--maxWorkers')))
  args.push('--maxWorkers=2');
const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
const code = await new Promise((resolve) => child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))));
await embedded?.stop();
if (existsSync(resultsFile)) {
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const failedSuites = r.numFailedTestSuites ?? 0;
  console.log(
    `\njest: ${r.numPassedTests} passed, ${r.numFailedTests + failedSuites} failed, ${r.numPendingTests + r.numTodoTests} skipped`,
  );
}
process.exit(code);
