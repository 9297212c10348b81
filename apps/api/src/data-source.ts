import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@plenary/core';
import { dataSourceOptions } from '@plenary/database';
import { ENTITIES } from './entities';

/** For the TypeORM CLI (`npm run migration:*`); needs DATABASE_URL. */
const url = loadConfig().databaseUrl;
if (!url)
  throw new Error(
    'Set DATABASE_URL to the PostgreSQL server to migrate (the embedded database migrates itself at start).',
  );
export default new DataSource(dataSourceOptions(url, 2, ENTITIES));
