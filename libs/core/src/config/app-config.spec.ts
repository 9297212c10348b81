import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

const dir = () => mkdtempSync(join(tmpdir(), 'plenary-config-'));

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({ DATA_DIR: dir() });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.adminEmail).toBe('admin@plenary.local');
    expect(c.accessTokenTtl).toBe(900);
  });

  it.each([
    ['PORT', 'abc', /PORT/],
    ['PORT', '70000', /PORT/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must look like postgres:/],
    ['REDIS_URL', 'http://x', /REDIS_URL must look like redis:/],
    ['JWT_SECRET', 'short', /JWT_SECRET must be at least 32/],
    ['ADMIN_EMAIL', 'not-an-email', /ADMIN_EMAIL must be an email/],
    ['ADMIN_PASSWORD', 'short', /ADMIN_PASSWORD must be at least 12/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['SEED_DEMO', 'maybe', /SEED_DEMO/],
  ])('refuses %s=%s naming the variable', (name, value, message) => {
    let err: unknown;
    try {
      loadConfig({ DATA_DIR: dir(), [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.join('\n')).toMatch(message);
    expect((err as ConfigError).problems[0].startsWith(name)).toBe(true);
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ DATA_DIR: dir(), PORT: 'x', REDIS_URL: 'nope' })).toThrow(/PORT[\s\S]*REDIS_URL|REDIS_URL[\s\S]*PORT/);
  });

  it('generates a JWT secret once and keeps it in DATA_DIR', () => {
    const d = dir();
    const a = loadConfig({ DATA_DIR: d });
    const b = loadConfig({ DATA_DIR: d });
    expect(a.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(b.jwtSecret).toBe(a.jwtSecret);
    expect(readFileSync(join(d, 'jwt-secret'), 'utf8').trim()).toBe(a.jwtSecret);
    expect(statSync(join(d, 'jwt-secret')).mode & 0o077).toBe(0);
  });

  it('uses JWT_SECRET when given', () => {
    expect(loadConfig({ DATA_DIR: dir(), JWT_SECRET: 'x'.repeat(40) }).jwtSecret).toBe('x'.repeat(40));
  });
});
