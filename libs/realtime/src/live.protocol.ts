import type { WireEvent } from '@plenary/consultations';

/** Who a watcher is in a consultation, for presence counts. */
export type PresenceRole = 'public' | 'participant' | 'moderator';

export interface SubscribeRequest {
  consultationId: string;
  /** The last seq the client has (0: none). */
  after: number;
}

export type SubscribeAck =
  | { ok: true; consultationId: string; role: PresenceRole; head: number; events: WireEvent[]; more: boolean }
  | { error: { code: string; message: string } };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Socket messages are hostile input too: anything but `{ consultationId: uuid, after?: whole number }` is refused. */
export function validateSubscribe(body: unknown): SubscribeRequest | { error: { code: string; message: string } } {
  const bad = (message: string) => ({ error: { code: 'VALIDATION_FAILED', message } });
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return bad('subscribe needs { consultationId, after? }.');
  const { consultationId, after, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length) return bad(`Unknown fields: ${Object.keys(rest).slice(0, 5).join(', ')}.`);
  if (typeof consultationId !== 'string' || !UUID.test(consultationId)) return bad('consultationId must be a UUID.');
  if (after !== undefined && (typeof after !== 'number' || !Number.isSafeInteger(after) || after < 0))
    return bad('after must be a whole number (the last seq you have).');
  return { consultationId, after: (after as number | undefined) ?? 0 };
}

export function presenceRole(visibility: 'all' | 'public' | 'public_or_subject', signedIn: boolean): PresenceRole {
  return visibility === 'all' ? 'moderator' : signedIn ? 'participant' : 'public';
}

export function rooms(consultationId: string) {
  return {
    all: `c:${consultationId}:all`,
    public: `c:${consultationId}:public`,
    user: (userId: string) => `c:${consultationId}:u:${userId}`,
  };
}
