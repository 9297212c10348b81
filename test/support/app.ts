import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AdminSeeder } from '@plenary/accounts';
import { AppConfig, Clock, loadConfig } from '@plenary/core';
import { createTestDatabase } from '@plenary/database/testing';
import { createApp } from '../../apps/api/src/bootstrap';

export const ADMIN_EMAIL = 'admin@test.plenary';
export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  clock: Clock;
  http: () => ReturnType<typeof request>;
  databaseUrl: string;
  /** Starts listening on a free loopback port (for sockets and other processes) and returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real application (same bootstrap as main.ts) on a fresh migrated database, with a known admin.
 * Auth rate limits are high unless a test sets them, since every request here comes from one address.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { databaseUrl?: string } = {},
): Promise<TestApp> {
  const db = opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'plenary-test-'));
  const config = {
    ...loadConfig({
      DATA_DIR: dataDir,
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      AUTH_RATE_LIMIT: '100000',
      SEED_DEMO: 'false',
      DB_POOL_SIZE: '5',
      ...env,
    }),
    databaseUrl: db.url,
  };
  const app = await createApp(config);
  await app.init();
  await app.get(AdminSeeder).ensureFirstAdmin();
  const server = app.getHttpServer();
  return {
    app,
    config,
    clock: app.get(Clock),
    http: () => request(server),
    databaseUrl: db.url,
    async listen() {
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      await app.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
