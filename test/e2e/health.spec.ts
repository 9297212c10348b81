import { startTestApp, TestApp, TcpProxy } from '../support';
import { createTestDatabase } from '@plenary/database/testing';

describe('GET /health when the database goes away', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    const u = new URL(db.url);
    proxy = new TcpProxy(u.hostname, Number(u.port || 5432));
    await proxy.start();
    u.port = String(proxy.port);
    t = await startTestApp({}, { databaseUrl: u.toString() });
  });
  afterAll(async () => {
    await t.close();
    await proxy.cut();
    await drop();
  });

  it('answers 503 while the database is unreachable and 200 again when it is back', async () => {
    await t.http().get('/health').expect(200);
    await proxy.cut();
    const down = await t.http().get('/health');
    expect(down.status).toBe(503);
    expect(
      down.body.error?.database?.status ?? down.body.info?.database?.status ?? down.body.details?.database?.status,
    ).toBe('down');
    // Requests that need the database get a prompt 503 in the error shape, not a hang or a 500.
    const login = await t.http().post('/api/auth/login').send({ email: 'a@example.org', password: 'some password!' });
    expect(login.status).toBe(503);
    expect(login.body.error.code).toBe('SERVICE_UNAVAILABLE');
    await proxy.start();
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await t.http().get('/health')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});
