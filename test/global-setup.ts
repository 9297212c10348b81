import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../libs/database/src/data-source-options';
import { processAlive } from '../libs/database/src/data-dir-lock';
import { runMigrations } from '../libs/database/src/migration-runner';
import { adminQuery, withDatabase } from '../libs/database/src/testing';

/**
 * Decides which database the suite uses and migrates it once through the real migrations.
 * `npm test` (scripts/test.mjs) sets PLENARY_TEST_DB_KIND=pglite after starting the embedded database
 * when no PostgreSQL server answers; otherwise the server at TEST_DATABASE_URL (default 127.0.0.1:5432).
 */
export default async function globalSetup(): Promise<void> {
  const kind = process.env.PLENARY_TEST_DB_KIND ?? 'server';
  const adminUrl =
    process.env.PLENARY_TEST_DB_ADMIN_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.PLENARY_TEST_DB_KIND = kind;
  process.env.PLENARY_TEST_DB_ADMIN_URL = adminUrl;
  let migrateUrl = adminUrl;
  if (kind === 'server') {
    const template = `plenary_tpl_${process.pid}`;
    process.env.PLENARY_TEST_DB_TEMPLATE = template;
    // Leftovers of runs that were killed: drop databases whose run (its pid is in the name) is gone.
    const stale = (await adminQuery(
      adminUrl,
      `SELECT datname FROM pg_database WHERE datname ~ '^plenary_t(pl)?_[0-9]+'`,
    )) as {
      datname: string;
    }[];
    for (const { datname } of stale) {
      const pid = Number(/^plenary_t(?:pl)?_(\d+)/.exec(datname)?.[1]);
      if (!processAlive(pid))
        await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
    }
    await adminQuery(adminUrl, `CREATE DATABASE ${template}`);
    migrateUrl = withDatabase(adminUrl, template);
  }
  const ds = await new DataSource(dataSourceOptions(migrateUrl, 2)).initialize();
  try {
    await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
}
