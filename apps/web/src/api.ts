import { ApiError, apiError } from './api-error';
import { getSession, refresh } from './session';

export { ApiError };

/** A fetch with the session's token; on a 401 the token is refreshed once and the request repeated. */
async function send(path: string, init: RequestInit, retry = true): Promise<Response> {
  const s = getSession();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(s ? { authorization: `Bearer ${s.accessToken}` } : {}),
    ...((init.headers as Record<string, string>) ?? {}),
  };
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401 && s && retry && (await refresh())) return send(path, init, false);
  if (!res.ok) throw await apiError(res);
  return res;
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await send(path, init);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export const post = <T>(path: string, body: unknown, headers: Record<string, string> = {}) =>
  api<T>(path, { method: 'POST', body: JSON.stringify(body), headers });
export const put = <T>(path: string, body: unknown) => api<T>(path, { method: 'PUT', body: JSON.stringify(body) });
export const patch = <T>(path: string, body: unknown) => api<T>(path, { method: 'PATCH', body: JSON.stringify(body) });

/** Downloads a file the API sends as an attachment, as the signed-in person (a plain link cannot carry the token). */
export async function download(path: string): Promise<void> {
  const res = await send(path, {});
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? path.split('/').pop()!;
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const errorText = (e: unknown, fallback: string): string => (e instanceof ApiError ? e.message : fallback);

export interface Consultation {
  id: string;
  code: string;
  title: string;
  description: string;
  status: string;
  /** Where a chair may move it next: the server's rule, not a copy of it. */
  nextStatuses: string[];
  moderationPolicy: string;
  myRoles?: string[];
}

export interface Round {
  id: string;
  name: string;
  documentId: string;
  version: number;
  state: 'scheduled' | 'open' | 'closed';
  opensAt: string;
  closesAt: string;
  closedEarlyAt?: string | null;
}

export interface DocParagraph {
  id: string;
  label: string;
  kind: string;
  text: string;
  lineageKey: string;
  footnotes: { marker: string; text: string }[];
  counts: { published: number; amendments: number; endorsements: number };
}

export interface DocumentView {
  id: string;
  title: string;
  version: number;
  versionName: string;
  currentVersion: number;
  versions: { number: number; name: string; publishedAt: string; note: string }[];
  sections: { id: string; heading: string | null; paragraphs: DocParagraph[] }[];
  generalCounts: { published: number; amendments: number; endorsements: number };
}

export interface Contribution {
  id: string;
  trackingNumber: string;
  submittedAt: string;
  consultationId: string;
  documentId: string;
  round: string;
  version: number;
  versionName: string;
  paragraphId: string | null;
  paragraphLabel: string | null;
  kind: 'comment' | 'amendment' | 'reply';
  parentId: string | null;
  status: string;
  body: string;
  proposedText: string | null;
  diff?: { op: 'insert' | 'delete' | 'equal'; text: string }[] | null;
  author: { id: string; name: string; organisation: string; group: string; country: string; verified: boolean };
  endorsements: { total: number; byGroup: Record<string, number> };
  endorsedByMe?: boolean;
  moderation: { reason: string; note?: string; at: string } | null;
  disposition: {
    value: string;
    response: string;
    at: string;
    resultingParagraph: { id: string; label: string; version: number } | null;
  } | null;
  redacted?: boolean;
  review?: string | null;
  flagCount?: number;
  flags?: Record<string, number>;
  inReplyTo?: { id: string; trackingNumber: string; authorName: string };
  replies: Contribution[];
}

export const STAKEHOLDER_GROUPS = [
  'government',
  'intergovernmental',
  'private_sector',
  'civil_society',
  'technical_community',
  'academia',
];
export const REASONS = ['off_topic', 'abusive', 'spam', 'duplicate', 'personal_data', 'other'];
export const FLAG_REASONS = ['abusive', 'spam', 'off_topic', 'falsely_attributed'];
export const DISPOSITIONS = ['accepted', 'accepted_in_part', 'noted', 'not_accepted', 'out_of_scope'];
