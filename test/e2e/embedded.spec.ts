import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, testDbEnv } from '@plenary/database/testing';
import { registration } from '../support/factories';
import { startServer } from './server-process';

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, any> };
}

/**
 * What `npm install && npm start` promises: the built server on the embedded database, the first admin
 * printed, and an account registered before a restart still there after it (same JWT secret too).
 */
describe('the server as a user starts it', () => {
  jest.setTimeout(180000);

  it('runs on the embedded database and keeps accounts and sessions across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-embedded-'));
    try {
      const first = await startServer({ DATA_DIR: dataDir, AUTH_RATE_LIMIT: '1000' });
      expect(first.output()).toMatch(/Plenary is running on http:\/\/localhost:\d+/);
      expect(first.output()).toMatch(/embedded PostgreSQL \(PGlite\)/);
      const password = /Password \(shown once, write it down\): (\S+)/.exec(first.output())?.[1];
      expect(password).toBeDefined();
      expect(first.output()).toMatch(/Demo consultation seeded/);
      const list = (await (await fetch(`${first.url}/api/consultations`)).json()) as {
        id: string;
        status: string;
        code: string;
      }[];
      expect(list.map((c) => [c.code, c.status])).toEqual([['DEMO', 'open']]);
      const rounds = (await (await fetch(`${first.url}/api/consultations/${list[0].id}/rounds`)).json()) as {
        state: string;
        documentId: string;
      }[];
      expect(rounds.map((r) => r.state)).toEqual(['open']);
      type Doc = { sections: { paragraphs: { id: string; counts: { published: number } }[] }[] };
      const doc = (await (await fetch(`${first.url}/api/documents/${rounds[0].documentId}`)).json()) as Doc;
      expect(doc.sections.flatMap((x) => x.paragraphs)).toHaveLength(11);

      // Several people at once: the embedded database must keep concurrent requests apart.
      const paragraph = doc.sections[0].paragraphs[0];
      const tokens = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const who = registration();
          expect((await post(`${first.url}/api/auth/register`, who)).status).toBe(201);
          return (await post(`${first.url}/api/auth/login`, { email: who.email, password: who.password })).body
            .accessToken as string;
        }),
      );
      const submitted = await Promise.all(
        tokens.map((token, i) =>
          post(
            `${first.url}/api/paragraphs/${paragraph.id}/contributions`,
            { kind: 'comment', body: `at once ${i}` },
            {
              authorization: `Bearer ${token}`,
              'idempotency-key': `embedded-${i}`,
            },
          ),
        ),
      );
      expect(submitted.map((r) => r.status)).toEqual(Array(8).fill(201));
      expect(new Set(submitted.map((r) => r.body.trackingNumber)).size).toBe(8);
      expect(submitted.every((r) => /^DEMO-R1-\d{6}$/.test(r.body.trackingNumber))).toBe(true);
      const after = (await (await fetch(`${first.url}/api/documents/${rounds[0].documentId}`)).json()) as Doc;
      expect(after.sections[0].paragraphs[0].counts.published).toBe(paragraph.counts.published + 8);

      const body = registration();
      expect((await post(`${first.url}/api/auth/register`, body)).status).toBe(201);
      const login = await post(`${first.url}/api/auth/login`, { email: body.email, password: body.password });
      expect(login.status).toBe(200);
      const adminLogin = await post(`${first.url}/api/auth/login`, { email: 'admin@plenary.local', password });
      expect(adminLogin.status).toBe(200);
      expect(await first.stop('SIGTERM')).toBe(0);

      const second = await startServer({ DATA_DIR: dataDir });
      try {
        expect(second.output()).not.toMatch(/Password \(shown once/);
        expect(second.output()).not.toMatch(/Demo consultation seeded/);
        const again = await post(`${second.url}/api/auth/login`, { email: body.email, password: body.password });
        expect(again.status).toBe(200);
        // The JWT secret was kept in DATA_DIR: a token from before the restart still works.
        const me = await fetch(`${second.url}/api/me`, {
          headers: { authorization: `Bearer ${login.body.accessToken}` },
        });
        expect(me.status).toBe(200);
        expect(((await me.json()) as { email: string }).email).toBe(body.email);
        const dup = await post(`${second.url}/api/auth/register`, body);
        expect(dup.status).toBe(409);
      } finally {
        expect(await second.stop('SIGINT')).toBe(0);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    await expect(
      startServer({ DATA_DIR: mkdtempSync(join(tmpdir(), 'plenary-bad-')), REDIS_URL: 'http://nope' }, 15000),
    ).rejects.toThrow(/REDIS_URL must look like redis:/);
  });

  it('runs against DATABASE_URL when it is set', async () => {
    if (testDbEnv().kind !== 'server') {
      console.warn(
        'SKIPPED: DATABASE_URL start — no PostgreSQL server answered, the suite runs on the embedded database.',
      );
      return;
    }
    const db = await createTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'plenary-pg-'));
    try {
      const server = await startServer({
        DATA_DIR: dataDir,
        DATABASE_URL: db.url,
        ADMIN_PASSWORD: 'a-long-admin-password',
      });
      try {
        expect(server.output()).toMatch(/PostgreSQL from DATABASE_URL/);
        const body = registration();
        expect((await post(`${server.url}/api/auth/register`, body)).status).toBe(201);
        expect(
          (
            await post(`${server.url}/api/auth/login`, {
              email: 'admin@plenary.local',
              password: 'a-long-admin-password',
            })
          ).status,
        ).toBe(200);
      } finally {
        expect(await server.stop()).toBe(0);
      }
    } finally {
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
