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
