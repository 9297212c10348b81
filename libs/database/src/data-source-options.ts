import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/** One set of options for the app, the CLI and the tests: the same TypeORM/`pg` path for every database. */
export function dataSourceOptions(url: string, poolSize: number, entities: DataSourceOptions['entities'] = []) {
  return {
    type: 'postgres' as const,
    url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    applicationName: 'plenary',
    extra: {
      max: poolSize,
      // A dead database must not hang requests: fail fast and let the filter answer 503.
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30000,
      query_timeout: 30000,
      keepAlive: true,
    },
  };
}
