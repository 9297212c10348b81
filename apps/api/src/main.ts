import 'reflect-metadata';
import { AdminSeeder } from '@plenary/accounts';
import { AppConfig, ConfigError, loadConfig } from '@plenary/core';
import { EmbeddedPostgres, lockDataDir, startEmbeddedPostgres } from '@plenary/database';
import { createApp } from './bootstrap';
import { DemoSeeder } from './demo/demo-seeder';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nFix the variables above and start again.\n`);
      process.exit(1);
    }
    throw e;
  }

  let embedded: EmbeddedPostgres | undefined;
  let unlock: (() => void) | undefined;
  if (!config.databaseUrl) {
    unlock = lockDataDir(config.dataDir);
    embedded = await startEmbeddedPostgres(config.dataDir, config.dbPoolSize);
    config = { ...config, databaseUrl: embedded.url };
  }

  const app = await createApp(config);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`\n${signal}: shutting down\n`);
    const force = setTimeout(() => process.exit(1), 10000).unref();
    try {
      await app.close();
      await embedded?.stop();
    } finally {
      unlock?.();
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const admin = await app.get(AdminSeeder).ensureFirstAdmin();
  const demo = admin ? await app.get(DemoSeeder).seedIfEmpty(admin.id) : null;
  await app.listen(config.port, config.host);
  const url = `http://localhost:${config.port}`;
  const lines = [
    '',
    `Plenary is running on ${url}`,
    `  API docs:  ${url}/api/docs`,
    `  Health:    ${url}/health`,
    `  Database:  ${embedded ? `embedded PostgreSQL (PGlite) in ${config.dataDir}` : 'PostgreSQL from DATABASE_URL'}`,
  ];
  if (admin?.generatedPassword) {
    lines.push(
      `  First admin created: ${admin.email}`,
      `  Password (shown once, write it down): ${admin.generatedPassword}`,
    );
  } else if (admin) {
    lines.push(`  First admin: ${admin.email} (password from ADMIN_PASSWORD)`);
  }
  if (demo) lines.push(`  Demo consultation seeded: ${demo} (a round is open for 30 days)`);
  process.stdout.write(lines.join('\n') + '\n\n');
}

main().catch((e) => {
  process.stderr.write(`Plenary could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  if (!(e instanceof Error && e.message.startsWith('The embedded database')))
    process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
  process.exit(1);
});
