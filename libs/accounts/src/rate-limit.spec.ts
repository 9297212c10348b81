import { registration, startTestApp, TestApp } from '../../../test/support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ AUTH_RATE_LIMIT: '3', AUTH_RATE_WINDOW: '60' });
});
afterAll(() => t.close());

describe('rate limits on register, login and refresh', () => {
  it.each([
    ['register', () => registration()],
    ['login', () => ({ email: 'x@example.org', password: 'whatever-password' })],
    ['refresh', () => ({ refreshToken: 'nope.nope' })],
  ])('%s answers 429 with Retry-After after the limit', async (route, body) => {
    for (let i = 0; i < 3; i++) {
      const res = await t.http().post(`/api/auth/${route}`).send(body());
      expect(res.status).not.toBe(429);
    }
    const res = await t.http().post(`/api/auth/${route}`).send(body());
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    const retry = Number(res.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(res.body.error.message).toContain(`${retry} second`);
  });
});
