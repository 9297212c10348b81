import { SETTLE_SECONDS } from '@plenary/contributions';
import { randomBytes } from 'node:crypto';
import type { TestApp } from './app';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './app';

export interface RegisterInput {
  email: string;
  password: string;
  displayName: string;
  stakeholderGroup: string;
  organisation: string;
  country: string;
  capacity: string;
}

let seq = 0;

export function registration(over: Partial<RegisterInput> = {}): RegisterInput {
  seq += 1;
  return {
    email: `person${seq}-${randomBytes(3).toString('hex')}@example.org`,
    password: 'correct horse battery staple',
    displayName: `Person ${seq}`,
    stakeholderGroup: 'civil_society',
    organisation: 'Association for Progressive Communications',
    country: 'KE',
    capacity: 'representative',
    ...over,
  };
}

export interface Actor {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
  auth: { Authorization: string };
}

export async function login(t: TestApp, email: string, password: string): Promise<Actor> {
  const res = await t.http().post('/api/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    id: res.body.user.id,
    email,
    token: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    auth: { Authorization: `Bearer ${res.body.accessToken}` },
  };
}

/** Registers a participant through the API and signs them in. */
export async function participant(t: TestApp, over: Partial<RegisterInput> = {}): Promise<Actor> {
  const body = registration(over);
  const res = await t.http().post('/api/auth/register').send(body);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return login(t, body.email, body.password);
}

export function admin(t: TestApp): Promise<Actor> {
  return login(t, ADMIN_EMAIL, ADMIN_PASSWORD);
}

/** A user with platform roles, set by the admin through the API. */
export async function withRoles(t: TestApp, roles: string[], over: Partial<RegisterInput> = {}): Promise<Actor> {
  const user = await participant(t, over);
  const a = await admin(t);
  const res = await t.http().patch(`/api/users/${user.id}`).set(a.auth).send({ roles });
  if (res.status !== 200) throw new Error(`role change failed: ${res.status} ${JSON.stringify(res.body)}`);
  return user;
}

export interface OpenConsultation {
  consultationId: string;
  code: string;
  documentId: string;
  roundId: string;
  /** Paragraph ids of the current version, by label. */
  paragraphs: Record<string, string>;
  opensAt: Date;
  closesAt: Date;
}

let codes = 0;

/**
 * A consultation opened by `chair`, with a small draft imported and round R1 open from `opensAt` to `closesAt`
 * (by default from an hour ago to a day from the app's clock).
 */
export async function openConsultation(
  t: TestApp,
  chair: Actor,
  opts: { policy?: 'pre' | 'post'; draft?: string; opensAt?: Date; closesAt?: Date; code?: string } = {},
): Promise<OpenConsultation> {
  codes += 1;
  const code = opts.code ?? `T${codes}${randomBytes(2).toString('hex').toUpperCase()}`;
  const c = await t
    .http()
    .post('/api/consultations')
    .set(chair.auth)
    .send({ title: `Consultation ${code}`, code, moderationPolicy: opts.policy ?? 'post' });
  if (c.status !== 201) throw new Error(`consultation failed: ${c.status} ${JSON.stringify(c.body)}`);
  await t.http().patch(`/api/consultations/${c.body.id}`).set(chair.auth).send({ status: 'open' }).expect(200);
  const draft =
    opts.draft ??
    '# Draft\n\n1. Access to information is a **right**.\n\n2. Capacity building matters.\n\n3. Financing mechanisms.\n';
  const doc = await t
    .http()
    .post(`/api/consultations/${c.body.id}/documents`)
    .set(chair.auth)
    .send({ format: 'markdown', content: draft });
  if (doc.status !== 201) throw new Error(`import failed: ${doc.status} ${JSON.stringify(doc.body)}`);
  const now = t.clock.now().getTime();
  const opensAt = opts.opensAt ?? new Date(now - 3600_000);
  const closesAt = opts.closesAt ?? new Date(now + 86400_000);
  const r = await t
    .http()
    .post(`/api/consultations/${c.body.id}/rounds`)
    .set(chair.auth)
    .send({ documentId: doc.body.document.id, opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString() });
  if (r.status !== 201) throw new Error(`round failed: ${r.status} ${JSON.stringify(r.body)}`);
  const paragraphs: Record<string, string> = {};
  for (const s of doc.body.document.sections) for (const p of s.paragraphs) paragraphs[p.label] = p.id;
  return {
    consultationId: c.body.id,
    code,
    documentId: doc.body.document.id,
    roundId: r.body.id,
    paragraphs,
    opensAt,
    closesAt,
  };
}

/**
 * Waits until every contribution in the test database is settled, i.e. shows in cursor listings (which hold back a
 * row while an older write transaction anywhere on the server is still running, for at most 2 seconds).
 */
export async function listingsSettled(t: TestApp): Promise<void> {
  const { adminQuery } = await import('@plenary/database/testing');
  const end = Date.now() + 10_000;
  for (;;) {
    const [r] = (await adminQuery(
      t.databaseUrl,
      `SELECT coalesce(bool_and(tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint OR submitted_at < now() - interval '${SETTLE_SECONDS} seconds'), true) AS ok FROM contributions`,
    )) as { ok: boolean }[];
    if (r.ok) return;
    // A listing that never settles is a bug to see, not a wait to swallow.
    if (Date.now() > end) throw new Error('listingsSettled: contributions were still unsettled after 10 s');
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** supertest parser that keeps a binary body (docx, pdf) as one Buffer: `.buffer(true).parse(binary)`. */
export function binary(res: unknown, cb: (err: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (d: Buffer) => chunks.push(d));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}
