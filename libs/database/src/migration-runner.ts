import type { DataSource } from 'typeorm';

/** Any constant will do; it only has to be the same for every process of this app. */
const MIGRATION_LOCK = 4_711_001;

/**
 * Applies pending migrations. Several processes may start at once against one server: a session-level
 * advisory lock lets one of them migrate while the others wait, then find nothing left to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
