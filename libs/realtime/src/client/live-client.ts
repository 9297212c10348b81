import { io, Socket } from 'socket.io-client';

/** An event as the server sends it. `prev` is the previous seq of this client's stream (null: an event about you). */
export interface LiveEvent {
  seq: number;
  type: string;
  consultationId: string;
  prev: number | null;
  at: string;
  data: Record<string, unknown>;
}

export interface Presence {
  consultationId: string;
  total: number;
  byRole: { public: number; participant: number; moderator: number };
}

export type WatchRole = 'public' | 'participant' | 'moderator';

export interface LiveClientOptions {
  /** The server's base URL, e.g. http://localhost:3000 (the namespace /live is added). */
  url: string;
  /** Asked at every (re)connection, so a refreshed access token is used. Absent: watch as the public. */
  token?: () => string | undefined;
  /** Default ['websocket']. */
  transports?: string[];
}

export interface WatchHandlers {
  /** The last seq already held (from an earlier session or page load); 0 or absent for everything. */
  after?: number;
  /** Every event once, in stream order (events about yourself may come between). */
  onEvent: (e: LiveEvent) => void;
  onPresence?: (p: Presence) => void;
  onRole?: (role: WatchRole) => void;
  onError?: (error: { code: string; message: string }) => void;
}

type Ack =
  | { ok: true; consultationId: string; role: WatchRole; head: number; events: LiveEvent[]; more: boolean }
  | { error: { code: string; message: string } };

const REMEMBERED = 10_000;

/** One consultation's stream: delivers each event once, in order, and refills any gap from the server. */
class Watch {
  last: number;
  private syncing = false;
  private again = false;
  private pending: LiveEvent[] = [];
  private readonly delivered = new Set<number>();

  constructor(
    private readonly socket: Socket,
    readonly consultationId: string,
    readonly handlers: WatchHandlers,
  ) {
    this.last = handlers.after ?? 0;
  }

  /** Asks the server for everything after `last` (on subscribe, reconnect, a gap or a role change). */
  resync(): void {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    this.socket
      .timeout(10_000)
      .emitWithAck('subscribe', { consultationId: this.consultationId, after: this.last })
      .then((ack: Ack) => {
        if ('error' in ack) {
          this.handlers.onError?.(ack.error);
          return;
        }
        this.handlers.onRole?.(ack.role);
        for (const e of ack.events) this.deliver(e, true);
        if (ack.more) this.again = true;
        else this.last = Math.max(this.last, ack.head);
      })
      .catch(() => {
        this.again = this.socket.connected;
      })
      .finally(() => {
        this.syncing = false;
        if (this.again) {
          this.again = false;
          this.resync();
          return;
        }
        const waiting = this.pending.sort((a, b) => a.seq - b.seq);
        this.pending = [];
        for (const e of waiting) this.receive(e);
      });
  }

  receive(e: LiveEvent): void {
    if (this.delivered.has(e.seq)) return;
    if (this.syncing) {
      this.pending.push(e);
      return;
    }
    if (e.prev === null || e.prev <= this.last) this.deliver(e, e.prev !== null);
    else {
      // Something between what we have and this event did not arrive: fetch it, then this.
      this.pending.push(e);
      this.resync();
    }
  }

  private deliver(e: LiveEvent, inStream: boolean): void {
    if (this.delivered.has(e.seq)) return;
    this.delivered.add(e.seq);
    if (this.delivered.size > REMEMBERED) this.delivered.delete(this.delivered.values().next().value!);
    if (inStream) this.last = Math.max(this.last, e.seq);
    this.handlers.onEvent(e);
  }
}

/**
 * The browser's and the tests' way to watch consultations live: connects to `/live` with the current access
 * token, subscribes, and after any disconnection asks for what it missed, so the application sees every
 * event exactly once and in order.
 */
export class LiveClient {
  readonly socket: Socket;
  private readonly watches = new Map<string, Watch>();

  constructor(opts: LiveClientOptions) {
    this.socket = io(`${opts.url.replace(/\/$/, '')}/live`, {
      auth: (cb) => cb(opts.token?.() ? { token: opts.token() } : {}),
      transports: opts.transports ?? ['websocket'],
      reconnectionDelay: 250,
      reconnectionDelayMax: 2000,
    });
    this.socket.on('connect', () => {
      for (const w of this.watches.values()) w.resync();
    });
    this.socket.on('event', (e: LiveEvent) => this.watches.get(e.consultationId)?.receive(e));
    // The server's periodic word on the newest seq: if we are behind, something was missed; fetch it.
    this.socket.on('head', (h: { consultationId: string; head: number }) => {
      const w = this.watches.get(h.consultationId);
      if (w && h.head > w.last) w.resync();
    });
    this.socket.on('presence', (p: Presence) => this.watches.get(p.consultationId)?.handlers.onPresence?.(p));
    this.socket.on('role', (r: { consultationId: string; role: WatchRole }) => {
      const w = this.watches.get(r.consultationId);
      if (!w) return;
      w.handlers.onRole?.(r.role);
      w.resync();
    });
  }

  /** Progress of long work the signed-in user started (a report being generated): `{ kind, id?, percent, step }`. */
  onProgress(
    listener: (p: { kind: string; id?: string; consultationId?: string; percent: number; step: string }) => void,
  ): () => void {
    this.socket.on('progress', listener);
    return () => this.socket.off('progress', listener);
  }

  /** Starts watching a consultation; returns a function that stops. */
  watch(consultationId: string, handlers: WatchHandlers): { lastSeq: () => number; stop: () => void } {
    const w = new Watch(this.socket, consultationId, handlers);
    this.watches.set(consultationId, w);
    if (this.socket.connected) w.resync();
    return {
      lastSeq: () => w.last,
      stop: () => {
        this.watches.delete(consultationId);
        if (this.socket.connected) this.socket.emit('unsubscribe', { consultationId });
      },
    };
  }

  /** Resolves once connected, or rejects with the server's reason (a refused token, say). */
  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const ok = () => (this.socket.off('connect_error', ko), resolve());
      const ko = (err: Error & { data?: { code: string; message: string } }) => {
        this.socket.off('connect', ok);
        reject(Object.assign(new Error(err.data?.message ?? err.message), { code: err.data?.code }));
      };
      this.socket.once('connect', ok);
      this.socket.once('connect_error', ko);
    });
  }

  close(): void {
    this.watches.clear();
    this.socket.disconnect();
  }
}
