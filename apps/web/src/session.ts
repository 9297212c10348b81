import { api } from './api';

/** The signed-in person, kept for this browser tab. */
export interface Session {
  accessToken: string;
  user: { id: string; displayName: string };
}

export function loadSession(): Session | null {
  const raw = sessionStorage.getItem('plenary.session');
  return raw ? (JSON.parse(raw) as Session) : null;
}

export async function signIn(email: string, password: string): Promise<Session> {
  const s = await api<Session>('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });
  sessionStorage.setItem('plenary.session', JSON.stringify({ accessToken: s.accessToken, user: { id: s.user.id, displayName: s.user.displayName } }));
  return loadSession()!;
}

export function signOut(): void {
  sessionStorage.removeItem('plenary.session');
}

export const authHeader = (s: Session | null): Record<string, string> => (s ? { authorization: `Bearer ${s.accessToken}` } : {});

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
