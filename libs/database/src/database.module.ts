import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@plenary/core';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './migration-runner';

/**
 * The TypeORM data source. `config.databaseUrl` is always set by the time the app module is built:
 * main.ts starts the embedded database first when no DATABASE_URL was given.
 */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(requireUrl(config), config.dbPoolSize),
            autoLoadEntities: true,
            retryAttempts: 0,
          }),
          dataSourceFactory: async (options) => {
            const ds = await new DataSource(options!).initialize();
            await runMigrations(ds);
            return ds;
          },
        }),
      ],
    };
  }
}

function requireUrl(config: AppConfig): string {
  if (!config.databaseUrl) throw new Error('No database URL: start the embedded database before building the app.');
  return config.databaseUrl;
}
