/** The API as the app uses it: errors carry the server's own message, to show to the person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new ApiError(res.status, body?.error?.code ?? 'ERROR', body?.error?.message ?? `The server answered ${res.status}.`);
  }
  return res.json() as Promise<T>;
}

export interface Consultation {
  id: string;
  code: string;
  title: string;
  description: string;
  status: string;
}

export interface Round {
  id: string;
  name: string;
  documentId: string;
  version: number;
  state: 'scheduled' | 'open' | 'closed';
  opensAt: string;
  closesAt: string;
}

export interface DocParagraph {
  id: string;
  label: string;
  kind: string;
  text: string;
  lineageKey: string;
  counts: { published: number; amendments: number; endorsements: number };
}

export interface DocumentView {
  id: string;
  title: string;
  version: number;
  versionName: string;
  sections: { id: string; heading: string | null; paragraphs: DocParagraph[] }[];
}
