import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '@plenary/database';
import { createTestDatabase } from '@plenary/database/testing';
import { ENTITIES } from './entities';

describe('migrations', () => {
  it('produce exactly the schema the entities describe (no pending changes)', async () => {
    const db = await createTestDatabase();
    const ds = await new DataSource(dataSourceOptions(db.url, 2, ENTITIES)).initialize();
    try {
      const applied = (await ds.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[];
      expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
