import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientAddress, ConfigError, loadConfig, trustFunction } from './app-config';

const dir = () => mkdtempSync(join(tmpdir(), 'plenary-config-'));

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({ DATA_DIR: dir() });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.adminEmail).toBe('admin@plenary.local');
    expect(c.accessTokenTtl).toBe(900);
    expect(c).toMatchObject({
      authRateLimit: 300,
      authRateWindow: 60,
      loginAccountFailureLimit: 10,
      loginAccountFailureWindow: 900,
      loginAddressFailureLimit: 100,
      trustProxy: false,
      editRateLimit: 20,
      endorsementRateLimit: 60,
      actionRateWindow: 60,
    });
  });

  it('reads the per-account action limits', () => {
    const c = loadConfig({
      DATA_DIR: dir(),
      EDIT_RATE_LIMIT: '5',
      ENDORSEMENT_RATE_LIMIT: '7',
      ACTION_RATE_WINDOW: '30',
    });
    expect(c).toMatchObject({ editRateLimit: 5, endorsementRateLimit: 7, actionRateWindow: 30 });
  });

  it.each([
    ['false', false],
    ['FALSE', false],
    ['0', false],
    ['true', true],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.7 ,::1,fd00::/8', ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ DATA_DIR: dir(), TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('follows X-Forwarded-For only as far as TRUST_PROXY trusts', () => {
    const req = (peer: string, xff?: string) =>
      ({ socket: { remoteAddress: peer }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as never;
    const at = (value: string, r: never) =>
      clientAddress(r, trustFunction(loadConfig({ DATA_DIR: dir(), TRUST_PROXY: value }).trustProxy));
    expect(at('false', req('127.0.0.1', '1.2.3.4'))).toBe('127.0.0.1');
    expect(at('true', req('127.0.0.1', '1.2.3.4, 5.6.7.8'))).toBe('1.2.3.4');
    expect(at('1', req('127.0.0.1', '1.2.3.4, 5.6.7.8'))).toBe('5.6.7.8');
    expect(at('loopback', req('::ffff:127.0.0.1', '9.9.9.9'))).toBe('9.9.9.9');
    expect(at('10.0.0.0/8', req('10.1.2.3', '8.8.8.8, 10.0.0.5'))).toBe('8.8.8.8');
    expect(at('10.0.0.0/8', req('11.1.2.3', '8.8.8.8'))).toBe('11.1.2.3');
    expect(at('loopback', req('127.0.0.1'))).toBe('127.0.0.1');
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
    ['TRUST_PROXY', 'yes please', /TRUST_PROXY must be false, true/],
    ['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY/],
    ['TRUST_PROXY', '10.0.0.300', /TRUST_PROXY/],
    ['TRUST_PROXY', '-1', /TRUST_PROXY/],
    ['LOGIN_ACCOUNT_FAILURE_LIMIT', '0', /LOGIN_ACCOUNT_FAILURE_LIMIT/],
    ['EDIT_RATE_LIMIT', 'many', /EDIT_RATE_LIMIT/],
    ['ACTION_RATE_WINDOW', '0', /ACTION_RATE_WINDOW/],
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
    expect(() => loadConfig({ DATA_DIR: dir(), PORT: 'x', REDIS_URL: 'nope' })).toThrow(
      /PORT[\s\S]*REDIS_URL|REDIS_URL[\s\S]*PORT/,
    );
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
