export * from './database.module';
export * from './data-source-options';
export * from './embedded-postgres';
export * from './migration-runner';
export { MIGRATIONS } from './migrations';
export * from './tx';
export * from './data-dir-lock';
