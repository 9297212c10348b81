import { apiError } from './api-error';

/**
 * The signed-in person, kept for this browser tab (sessionStorage), with the access token refreshed before it
 * expires and again whenever the API says it has (see api.ts).
 */
export interface Session {
  accessToken: string;
  refreshToken?: string;
  /** ms since epoch; absent for a session put here by hand (tests) */
  expiresAt?: number;
  user: { id: string; displayName: string; roles?: string[] };
}

interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; displayName: string; roles: string[] };
}

const KEY = 'plenary.session';
const listeners = new Set<(s: Session | null) => void>();
let current: Session | null = read();
let timer: ReturnType<typeof setTimeout> | undefined;
let inflight: Promise<Session | null> | null = null;
schedule();

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function save(s: Session | null): void {
  current = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  schedule();
  for (const l of listeners) l(s);
}

/** Refresh a little before expiry: a minute early, or a quarter of the lifetime for short-lived tokens. */
function schedule(): void {
  clearTimeout(timer);
  if (!current?.refreshToken || !current.expiresAt) return;
  const left = current.expiresAt - Date.now();
  const lead = Math.min(60_000, left / 4);
  timer = setTimeout(() => void refresh(), Math.max(1000, left - lead));
}

const fromTokens = (t: TokenResponse): Session => ({
  accessToken: t.accessToken,
  refreshToken: t.refreshToken,
  expiresAt: Date.now() + t.expiresIn * 1000,
  user: { id: t.user.id, displayName: t.user.displayName, roles: t.user.roles },
});

export const getSession = (): Session | null => current;

export function onSessionChange(listener: (s: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function signIn(email: string, password: string): Promise<Session> {
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw await apiError(res);
  save(fromTokens((await res.json()) as TokenResponse));
  return current!;
}

/**
 * A new access token from the refresh token (one request at a time, however many callers ask). Resolves to null
 * when the session cannot be refreshed; the person is then signed out.
 */
export function refresh(): Promise<Session | null> {
  const s = current;
  if (!s?.refreshToken) return Promise.resolve(null);
  inflight ??= fetch('/api/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: s.refreshToken }),
  })
    .then(async (res) => {
      if (res.ok) save(fromTokens((await res.json()) as TokenResponse));
      else if (res.status === 401 || res.status === 400) save(null);
      return res.ok ? current : null;
    })
    .catch(() => null)
    .finally(() => (inflight = null));
  return inflight;
}

export async function signOut(): Promise<void> {
  const s = current;
  save(null);
  if (s)
    await fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${s.accessToken}` } }).catch(
      () => undefined,
    );
}

export const hasRole = (s: Session | null, ...roles: string[]): boolean =>
  !!s?.user.roles?.some((r) => roles.includes(r));

/** Country codes the browser can name (ISO 3166-1 alpha-2), sorted by name in the current language. */
export function countries(lang: string): { code: string; name: string }[] {
  const names = new Intl.DisplayNames([lang], { type: 'region' });
  const out: { code: string; name: string }[] = [];
  const A = 65;
  for (let i = 0; i < 26; i++)
    for (let j = 0; j < 26; j++) {
      const code = String.fromCharCode(A + i, A + j);
      if (['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'XK', 'ZZ'].includes(code)) continue;
      const name = names.of(code);
      if (name && name !== code) out.push({ code, name });
    }
  return out.sort((a, b) => a.name.localeCompare(b.name, lang));
}
