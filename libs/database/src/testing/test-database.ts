import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Test databases. On a PostgreSQL server (CI, dev machines) global setup migrates a template once and each
 * test file gets its own copy, so files run in parallel. On the embedded database (a machine with only
 * Node) there is one database: files run in band and each starts from empty tables.
 */
export interface TestDbEnv {
  kind: 'server' | 'pglite';
  adminUrl: string;
  template: string;
}

export function testDbEnv(): TestDbEnv {
  const kind = process.env.PLENARY_TEST_DB_KIND as TestDbEnv['kind'] | undefined;
  const adminUrl = process.env.PLENARY_TEST_DB_ADMIN_URL;
  const template = process.env.PLENARY_TEST_DB_TEMPLATE ?? '';
  if (!kind || !adminUrl) throw new Error('Run the tests through `npm test` (or jest with its global setup).');
  return { kind, adminUrl, template };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh, migrated database for one test file; returns its URL and a function that drops it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const env = testDbEnv();
  if (env.kind === 'pglite') {
    await truncateAll(env.adminUrl);
    return { url: env.adminUrl, drop: async () => undefined };
  }
  const name = `plenary_t_${env.template.replace('plenary_tpl_', '')}_${randomBytes(5).toString('hex')}`;
  await adminQuery(env.adminUrl, `CREATE DATABASE ${name} TEMPLATE ${env.template}`);
  return {
    url: withDatabase(env.adminUrl, name),
    drop: async () => void (await adminQuery(env.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

export async function adminQuery(url: string, sql: string, params: unknown[] = []): Promise<unknown[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function truncateAll(url: string): Promise<void> {
  const rows = (await adminQuery(
    url,
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
  )) as { tablename: string }[];
  if (rows.length) {
    // Append-only tables refuse TRUNCATE through triggers; tests may disable them for cleanup only.
    await adminQuery(
      url,
      `SET session_replication_role = replica; TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE; SET session_replication_role = DEFAULT;`,
    );
  }
}
