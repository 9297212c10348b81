import { adminQuery } from '@plenary/database/testing';
import { createHmac } from 'node:crypto';
import {
  admin,
  login,
  openConsultation,
  participant,
  registration,
  startTestApp,
  TestApp,
  withRoles,
} from '../../../test/support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const countUsers = async () =>
  ((await adminQuery(t.databaseUrl, 'SELECT count(*)::int AS n FROM users')) as { n: number }[])[0].n;

describe('POST /api/auth/register', () => {
  it('creates a participant with the region derived from the country', async () => {
    const body = registration({ country: 'br', stakeholderGroup: 'academia', capacity: 'personal' });
    const res = await t.http().post('/api/auth/register').send(body).expect(201);
    expect(res.body).toMatchObject({
      email: body.email,
      displayName: body.displayName,
      roles: ['participant'],
      suspended: false,
      profile: {
        stakeholderGroup: 'academia',
        organisation: body.organisation,
        country: 'BR',
        region: 'latin_american_caribbean',
        capacity: 'personal',
        verified: false,
      },
    });
    expect(res.body).not.toHaveProperty('passwordHash');
    const [row] = (await adminQuery(t.databaseUrl, 'SELECT password_hash FROM users WHERE id = $1', [res.body.id])) as {
      password_hash: string;
    }[];
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
  });

  it.each([
    ['email', { email: 'not-an-email' }, /email must be a valid email/],
    ['password', { password: 'elevenchars' }, /password must be at least 12/],
    ['displayName', { displayName: '   ' }, /displayName must not be empty/],
    ['stakeholderGroup', { stakeholderGroup: 'media' }, /stakeholderGroup must be one of/],
    ['organisation', { organisation: '' }, /organisation must not be empty/],
    ['country', { country: 'XX' }, /country must be an ISO 3166-1 alpha-2/],
    ['country', { country: 'CHE' }, /country must be an ISO 3166-1 alpha-2/],
    ['capacity', { capacity: 'delegate' }, /capacity must be one of/],
  ])('refuses a bad %s with 400 naming it and creates nothing', async (field, over, message) => {
    const before = await countUsers();
    const res = await t.http().post('/api/auth/register').send(registration(over)).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(message);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await countUsers()).toBe(before);
  });

  it.each(['email', 'password', 'displayName', 'stakeholderGroup', 'organisation', 'country', 'capacity'])(
    'refuses a missing %s',
    async (field) => {
      const body: Record<string, unknown> = { ...registration() };
      delete body[field];
      const res = await t.http().post('/api/auth/register').send(body).expect(400);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    },
  );

  it('refuses unknown fields (no smuggling roles or verification)', async () => {
    const before = await countUsers();
    const res = await t
      .http()
      .post('/api/auth/register')
      .send({ ...registration(), roles: ['admin'], verified: true })
      .expect(400);
    expect(res.body.error.message).toMatch(/property roles should not exist/);
    expect(await countUsers()).toBe(before);
  });

  it('refuses a duplicate email, whatever its case, with 409', async () => {
    const body = registration();
    await t.http().post('/api/auth/register').send(body).expect(201);
    const res = await t
      .http()
      .post('/api/auth/register')
      .send({ ...registration(), email: body.email.toUpperCase() })
      .expect(409);
    expect(res.body.error).toMatchObject({ code: 'EMAIL_TAKEN' });
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const bad = await t.http().post('/api/auth/register').set('Content-Type', 'application/json').send('{"email":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('MALFORMED_BODY');
    const huge = await t
      .http()
      .post('/api/auth/register')
      .send({ ...registration(), displayName: 'x'.repeat(1_100_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(huge.body.error.message).toMatch(/1 MB/);
  });
});

describe('login, refresh, logout', () => {
  it('signs in and returns a short-lived access token and a refresh token', async () => {
    const body = registration();
    await t.http().post('/api/auth/register').send(body).expect(201);
    const res = await t.http().post('/api/auth/login').send({ email: body.email, password: body.password }).expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email: body.email } });
    const me = await t.http().get('/api/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body.email).toBe(body.email);
  });

  it('gives the same 401 for a wrong email and a wrong password', async () => {
    const p = await participant(t);
    const wrongPassword = await t.http().post('/api/auth/login').send({ email: p.email, password: 'wrong password!!' });
    const wrongEmail = await t
      .http()
      .post('/api/auth/login')
      .send({ email: 'nobody@example.org', password: 'wrong password!!' });
    expect(wrongPassword.status).toBe(401);
    expect(wrongEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(wrongEmail.body);
    expect(wrongEmail.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a login without credentials with 400', async () => {
    const res = await t.http().post('/api/auth/login').send({});
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('rotates the refresh token, and a replayed one ends the session', async () => {
    const p = await participant(t);
    const first = await t.http().post('/api/auth/refresh').send({ refreshToken: p.refreshToken }).expect(200);
    expect(first.body.refreshToken).not.toBe(p.refreshToken);
    await t.http().get('/api/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(200);

    const replay = await t.http().post('/api/auth/refresh').send({ refreshToken: p.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('INVALID_REFRESH_TOKEN');
    // The whole session is revoked: the newer tokens stop working too.
    await t.http().post('/api/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);
    await t.http().get('/api/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(401);
  });

  it.each(['garbage', 'a.b', '00000000-0000-4000-8000-000000000000.secret'])(
    'refuses refresh token %s',
    async (token) => {
      const res = await t.http().post('/api/auth/refresh').send({ refreshToken: token });
      expect(res.status).toBe(401);
    },
  );

  it('logout revokes the refresh token and the access token', async () => {
    const p = await participant(t);
    await t.http().post('/api/auth/logout').set(p.auth).expect(204);
    await t.http().get('/api/me').set(p.auth).expect(401);
    await t.http().post('/api/auth/refresh').send({ refreshToken: p.refreshToken }).expect(401);
  });

  it('refuses a correctly signed token that has no expiry, and still takes a normal one', async () => {
    const p = await participant(t);
    await t.http().get('/api/me').set(p.auth).expect(200);
    const claims = JSON.parse(Buffer.from(p.token.split('.')[1], 'base64url').toString('utf8'));
    expect(typeof claims.exp).toBe('number');
    const sign = (payload: Record<string, unknown>) => {
      const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${head}.${body}.${createHmac('sha256', t.config.jwtSecret).update(`${head}.${body}`).digest('base64url')}`;
    };
    // The same claims, signed the same way, minus exp: a token that would never expire.
    const { exp: _exp, ...forever } = claims;
    const res = await t
      .http()
      .get('/api/me')
      .set('Authorization', `Bearer ${sign(forever)}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
    await t
      .http()
      .get('/api/me')
      .set('Authorization', `Bearer ${sign({ ...forever, exp: 'never' })}`)
      .expect(401);
    // Re-signed with its exp, it works: what is refused is the missing expiry, not our signing.
    await t
      .http()
      .get('/api/me')
      .set('Authorization', `Bearer ${sign(claims)}`)
      .expect(200);
  });

  it('refuses a bad or tampered token with 401, also on public routes', async () => {
    const p = await participant(t);
    const tampered = p.token.slice(0, -3) + (p.token.endsWith('aaa') ? 'bbb' : 'aaa');
    const res = await t.http().get('/api/me').set('Authorization', `Bearer ${tampered}`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
    await t.http().get('/api/me').expect(401);
    await t.http().post('/api/auth/register').set('Authorization', 'Bearer nonsense').send(registration()).expect(401);
  });
});

describe('profiles and administration', () => {
  it('lets a user update their own profile; the region follows the country and verification lapses', async () => {
    const p = await participant(t, { country: 'FR' });
    const a = await admin(t);
    await t.http().patch(`/api/users/${p.id}`).set(a.auth).send({ verified: true }).expect(200);
    const res = await t.http().patch('/api/me').set(p.auth).send({ country: 'JP', displayName: 'Renamed' }).expect(200);
    expect(res.body.profile).toMatchObject({ country: 'JP', region: 'asia_pacific', verified: false });
    expect(res.body.displayName).toBe('Renamed');
    const bad = await t
      .http()
      .patch('/api/me')
      .set(p.auth)
      .send({ roles: ['admin'] });
    expect(bad.status).toBe(400);
    const bad2 = await t.http().patch('/api/me').set(p.auth).send({ country: 'ZZ' });
    expect(bad2.status).toBe(400);
    expect((await t.http().get('/api/me').set(p.auth)).body.profile.country).toBe('JP');
  });

  it('lapses verification when the capacity changes, so a verified person cannot turn into a verified representative', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair);
    const p = await participant(t, { capacity: 'personal' });
    const a = await admin(t);
    await t.http().patch(`/api/users/${p.id}`).set(a.auth).send({ verified: true }).expect(200);
    // Unchanged capacity (and a name change) keeps verification: the positive marker for what follows.
    const same = await t
      .http()
      .patch('/api/me')
      .set(p.auth)
      .send({ capacity: 'personal', displayName: 'Still Me' })
      .expect(200);
    expect(same.body.profile).toMatchObject({ capacity: 'personal', verified: true });
    const before = await t
      .http()
      .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
      .set(p.auth)
      .send({ kind: 'comment', body: 'In my own name.' })
      .expect(201);
    expect(before.body.author).toMatchObject({ capacity: 'personal', verified: true });

    const switched = await t.http().patch('/api/me').set(p.auth).send({ capacity: 'representative' }).expect(200);
    expect(switched.body.profile).toMatchObject({ capacity: 'representative', verified: false });
    const res = await t
      .http()
      .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
      .set(p.auth)
      .send({
        kind: 'comment',
        body: 'On behalf of a ministry I do not speak for.',
        onBehalfOf: 'Ministry of Everything',
      })
      .expect(201);
    expect(res.body.onBehalfOf).toBe('Ministry of Everything');
    expect(res.body.author).toMatchObject({ capacity: 'representative', verified: false });
    const [row] = (await adminQuery(t.databaseUrl, 'SELECT author_verified FROM contributions WHERE id = $1', [
      res.body.id,
    ])) as { author_verified: boolean }[];
    expect(row.author_verified).toBe(false);
    expect((await t.http().get('/api/me').set(p.auth).expect(200)).body.profile.verified).toBe(false);
  });

  it('lets an admin set roles and verification, and refuses everyone else with 403', async () => {
    const p = await participant(t);
    const other = await participant(t);
    const mod = await withRoles(t, ['moderator']);
    for (const actor of [p, other, mod]) {
      const res = await t
        .http()
        .patch(`/api/users/${p.id}`)
        .set(actor.auth)
        .send({ roles: ['admin'] });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      await t.http().get('/api/users').set(actor.auth).expect(403);
      await t.http().get(`/api/users/${p.id}`).set(actor.auth).expect(403);
    }
    await t
      .http()
      .patch(`/api/users/${p.id}`)
      .send({ roles: ['admin'] })
      .expect(401);
    expect((await t.http().get('/api/me').set(p.auth)).body.roles).toEqual(['participant']);

    const a = await admin(t);
    const res = await t
      .http()
      .patch(`/api/users/${p.id}`)
      .set(a.auth)
      .send({ roles: ['chair'], verified: true })
      .expect(200);
    expect(res.body.roles).toEqual(['chair', 'participant']);
    expect(res.body.profile.verified).toBe(true);
    // Roles take effect on the next request: they are read fresh, not from the token.
    expect((await t.http().get('/api/me').set(p.auth)).body.roles).toEqual(['chair', 'participant']);
  });

  it('refuses an unknown role and a malformed id', async () => {
    const a = await admin(t);
    const p = await participant(t);
    const res = await t
      .http()
      .patch(`/api/users/${p.id}`)
      .set(a.auth)
      .send({ roles: ['emperor'] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/each role must be one of/);
    const bad = await t.http().get('/api/users/not-a-uuid').set(a.auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/id must be a UUID/);
    await t.http().get('/api/users/00000000-0000-4000-8000-000000000000').set(a.auth).expect(404);
  });

  it('protects the last active admin', async () => {
    const a = await admin(t);
    const res = await t
      .http()
      .patch(`/api/users/${a.id}`)
      .set(a.auth)
      .send({ roles: ['participant'] });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('LAST_ADMIN');
  });

  it('suspends an account: its sessions end and it cannot sign in', async () => {
    const body = registration();
    await t.http().post('/api/auth/register').send(body).expect(201);
    const p = await login(t, body.email, body.password);
    const a = await admin(t);
    await t.http().patch(`/api/users/${p.id}`).set(a.auth).send({ suspended: true }).expect(200);
    await t.http().get('/api/me').set(p.auth).expect(401);
    const again = await t.http().post('/api/auth/login').send({ email: body.email, password: body.password });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('ACCOUNT_SUSPENDED');
    await t.http().patch(`/api/users/${p.id}`).set(a.auth).send({ suspended: false }).expect(200);
    await login(t, body.email, body.password);
  });

  it('lists users for admins with filters and a stable cursor', async () => {
    const a = await admin(t);
    const made = [];
    for (let i = 0; i < 5; i++)
      made.push(await participant(t, { country: 'GH', stakeholderGroup: 'technical_community' }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string; profile: { region: string } }[]; nextCursor: string | null } } = await t
        .http()
        .get('/api/users')
        .query({ group: 'technical_community', region: 'african', limit: 2, ...(cursor ? { cursor } : {}) })
        .set(a.auth)
        .expect(200);
      seen.push(...res.body.items.map((u) => u.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(made.map((m) => m.id));
    const bad = await t.http().get('/api/users').query({ region: 'europe' }).set(a.auth);
    expect(bad.status).toBe(400);
    const badCursor = await t.http().get('/api/users').query({ cursor: 'nope' }).set(a.auth);
    expect(badCursor.status).toBe(400);
    const verified = await t
      .http()
      .get('/api/users')
      .query({ verified: 'true', role: 'admin' })
      .set(a.auth)
      .expect(200);
    expect(verified.body.items.map((u: { id: string }) => u.id)).toEqual([a.id]);
  });
});

describe('the platform', () => {
  it('GET /health reports the database', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body.info.database.status).toBe('up');
  });

  it('serves the OpenAPI document and sets security headers', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/auth/register', '/api/me', '/api/users/{id}']),
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers an unknown route in the error shape', async () => {
    const res = await t.http().get('/api/nothing-here').expect(404);
    expect(res.body).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: 'There is no GET /api/nothing-here.' } });
  });
});
