import { Inject, Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { AuthService, Principal, PrincipalCache, RateLimiter } from '@plenary/accounts';
import { EventsService, toWire } from '@plenary/consultations';
import {
  AccessChange,
  APP_CONFIG,
  AppConfig,
  clientAddress,
  CommittedEvent,
  DomainError,
  DomainEvents,
  toDomainError,
  trustFunction,
} from '@plenary/core';
import { PUBLIC_VIEWER } from '@plenary/contributions';
import { EventDelivery } from './event-delivery';
import { presenceRole, PresenceRole, rooms, SubscribeAck, SubscribeRequest, validateSubscribe } from './live.protocol';

/** How often each process tells its watchers the newest seq of their streams. */
export const HEARTBEAT_MS = 3000;

interface SocketData {
  principal?: Principal;
  token?: string;
  /** consultationId → the role this socket watches it as */
  subs: Record<string, PresenceRole>;
}

/**
 * Socket.IO namespace `/live`. It holds no business rules: it asks the events service who may see what,
 * relays committed events to rooms, answers catch-up from the outbox, counts who is watching, and re-checks a
 * person's sockets when their access changes.
 */
@WebSocketGateway({ namespace: '/live', cors: { origin: true }, transports: ['websocket', 'polling'] })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(LiveGateway.name);
  private nsp!: Namespace;
  private readonly byUser = new Map<string, Set<Socket>>();
  private readonly presenceTimers = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribers: (() => void)[] = [];

  constructor(
    private readonly auth: AuthService,
    private readonly principals: PrincipalCache,
    private readonly events: EventsService,
    private readonly delivery: EventDelivery,
    private readonly domain: DomainEvents,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(nsp: Namespace): void {
    this.nsp = nsp;
    // The handshake: no token is a public watcher; a bad or expired token is refused here.
    nsp.use((socket, next) => {
      const data: SocketData = { subs: {} };
      socket.data = data;
      this.admit(socket, data).then(
        () => next(),
        (e) => next(refusal(toDomainError(e))),
      );
    });
    this.unsubscribers.push(this.domain.onCommitted((events) => this.relay(events)));
    this.unsubscribers.push(
      this.domain.onAccessChanged((change) => {
        void this.recheck(change);
        // Other processes hold sockets of the same person (only with a cross-process adapter such as Redis).
        if (this.crossProcess) this.nsp.serverSideEmit('access', change);
      }),
    );
    nsp.on('access', (change: AccessChange) => void this.recheck(change));
    // Progress of long work (a report being generated) goes to the requester's sockets, wherever they are connected.
    this.unsubscribers.push(
      this.domain.onProgress((userId, payload) => this.nsp.to(`user:${userId}`).emit('progress', payload)),
    );
    // Every few seconds each process tells its own watchers the head of their streams: a client that missed an
    // event (its emit lost in a crash between commit and relay, say) notices and catches up by itself.
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private heartbeat?: NodeJS.Timeout;

  private async beat(): Promise<void> {
    const watched = new Set<string>();
    for (const socket of this.nsp.sockets.values())
      for (const id of Object.keys((socket.data as SocketData).subs ?? {})) watched.add(id);
    if (!watched.size) return;
    try {
      for (const h of await this.events.heads([...watched])) {
        const r = rooms(h.consultationId);
        this.nsp.local.to(r.all).emit('head', { consultationId: h.consultationId, head: h.last });
        this.nsp.local.to(r.public).emit('head', { consultationId: h.consultationId, head: h.lastPublic });
      }
    } catch (e) {
      this.logger.warn(`heartbeat: ${(e as Error).message}`);
    }
  }

  handleDisconnect(socket: Socket): void {
    const data = socket.data as SocketData;
    if (data.principal) this.byUser.get(data.principal.id)?.delete(socket);
    for (const consultationId of Object.keys(data.subs ?? {})) this.schedulePresence(consultationId);
  }

  /**
   * Message handlers are bound directly on each socket (rather than through Nest's per-socket observables),
   * which keeps a connection's memory close to bare socket.io's; every message is validated like a request body.
   */
  handleConnection(socket: Socket): void {
    socket.on('subscribe', (body: unknown, ack?: unknown) => {
      void this.subscribe(socket, body).then((res) => typeof ack === 'function' && ack(res));
    });
    socket.on('unsubscribe', (body: unknown, ack?: unknown) => {
      const res = this.unsubscribe(socket, body);
      if (typeof ack === 'function') ack(res);
    });
  }

  /** Joins a consultation's stream; the ack carries what the client missed since `after`, in order. */
  async subscribe(socket: Socket, body: unknown): Promise<SubscribeAck> {
    const req = validateSubscribe(body);
    if ('error' in req) return req;
    try {
      return await this.join(socket, req);
    } catch (e) {
      const err = toDomainError(e);
      if (err.status >= 500) this.logger.error(e);
      return { error: { code: err.code, message: err.message } };
    }
  }

  unsubscribe(socket: Socket, body: unknown): { ok: true } | { error: { code: string; message: string } } {
    const id = (body as { consultationId?: unknown })?.consultationId;
    if (typeof id !== 'string' || !(id in ((socket.data as SocketData).subs ?? {}))) {
      return {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'unsubscribe needs { consultationId } of a consultation you watch.',
        },
      };
    }
    this.leave(socket, id);
    this.schedulePresence(id);
    return { ok: true };
  }

  private async join(socket: Socket, req: SubscribeRequest): Promise<SubscribeAck> {
    const data = socket.data as SocketData;
    const { consultationId, after } = req;
    // Rooms first, then the catch-up: an event committed in between arrives twice, never not at all.
    const role = await this.placeIn(socket, consultationId);
    const { events, head } = await this.delivery.after(consultationId, data.principal, after, 1000);
    this.schedulePresence(consultationId);
    return { ok: true, consultationId, role, head, events, more: events.length === 1000 };
  }

  /** Puts a socket in the rooms its caller may watch (readable check included) and returns its role. */
  private async placeIn(socket: Socket, consultationId: string): Promise<PresenceRole> {
    const data = socket.data as SocketData;
    const visibility = await this.events.watch(consultationId, data.principal);
    this.leave(socket, consultationId);
    const r = rooms(consultationId);
    // The in-memory and Redis adapters join synchronously; the promise some adapters return carries nothing.
    if (visibility.kind === 'all') void socket.join(r.all);
    else {
      void socket.join(r.public);
      if (data.principal) void socket.join(r.user(data.principal.id));
    }
    const role = presenceRole(visibility.kind, !!data.principal);
    data.subs[consultationId] = role;
    return role;
  }

  private leave(socket: Socket, consultationId: string): void {
    const data = socket.data as SocketData;
    const r = rooms(consultationId);
    for (const room of [r.all, r.public, ...(data.principal ? [r.user(data.principal.id)] : [])])
      void socket.leave(room);
    delete data.subs[consultationId];
  }

  /**
   * Committed events to the rooms that may see them, each dressed for its room (the contribution as that audience
   * may see it now: read once per room, not per socket); through the Redis adapter this reaches every process.
   * One chain per consultation keeps its events in order while the reads are awaited.
   */
  private relay(events: CommittedEvent[]): void {
    const byConsultation = new Map<string, CommittedEvent[]>();
    for (const e of events) byConsultation.set(e.consultationId, [...(byConsultation.get(e.consultationId) ?? []), e]);
    for (const [consultationId, batch] of byConsultation) {
      const previous = this.relays.get(consultationId) ?? Promise.resolve();
      const next = previous
        .then(() => this.relayBatch(consultationId, batch))
        .catch((e) =>
          this.logger.warn(
            `relay for ${consultationId}: ${(e as Error).message} (clients catch up from the heartbeat)`,
          ),
        )
        .finally(() => {
          if (this.relays.get(consultationId) === next) this.relays.delete(consultationId);
        });
      this.relays.set(consultationId, next);
    }
  }

  private readonly relays = new Map<string, Promise<void>>();

  private async relayBatch(consultationId: string, batch: CommittedEvent[]): Promise<void> {
    const r = rooms(consultationId);
    const bySubject = new Map<string, CommittedEvent[]>();
    for (const e of batch)
      if (e.audience !== 'public' && e.subjectUserId)
        bySubject.set(e.subjectUserId, [...(bySubject.get(e.subjectUserId) ?? []), e]);
    const audiences = [
      { room: r.all, viewer: { userId: null, moderator: true }, events: batch.map((e) => toWire(e, 'all')) },
      {
        room: r.public,
        viewer: PUBLIC_VIEWER,
        events: batch.filter((e) => e.audience === 'public').map((e) => toWire(e, 'public')),
      },
      ...[...bySubject].map(([userId, es]) => ({
        room: r.user(userId),
        viewer: { userId, moderator: false },
        events: es.map((e) => toWire(e, 'subject')),
      })),
    ].filter((a) => a.events.length && this.mayHaveListeners(a.room));
    const dressed = await this.delivery.dressAll(consultationId, audiences);
    // In seq order across rooms, as before dressing: a participant watches the public room and their own.
    const out = audiences.flatMap((a, i) => dressed[i].map((e) => [a.room, e] as const));
    out.sort((a, b) => a[1].seq - b[1].seq);
    for (const [room, e] of out) this.nsp.to(room).emit('event', e);
  }

  /** With one process, an empty room needs no dressing; through Redis another process may hold its sockets. */
  private mayHaveListeners(room: string): boolean {
    return this.crossProcess || (this.nsp.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  /** Is a cross-process adapter (Redis) in place, rather than socket.io's in-memory one? */
  private get crossProcess(): boolean {
    return this.nsp.adapter.constructor.name !== 'Adapter';
  }

  /** Logout, suspension, a role or membership change: disconnect, or move the person's sockets to the right rooms. */
  private async recheck(change: AccessChange): Promise<void> {
    const sockets: Socket[] = [];
    if (change.kind === 'session_revoked') {
      this.principals.forgetSession(change.sessionId);
      for (const set of this.byUser.values())
        for (const s of set) if ((s.data as SocketData).principal?.sessionId === change.sessionId) sockets.push(s);
    } else {
      this.principals.forgetUser(change.userId);
      sockets.push(...(this.byUser.get(change.userId) ?? []));
    }
    for (const socket of sockets) {
      const data = socket.data as SocketData;
      try {
        data.principal = await this.auth.authenticate(data.token!);
      } catch {
        socket.emit('revoked', { reason: 'Your session ended or your account changed: sign in again.' });
        socket.disconnect(true);
        continue;
      }
      const ids =
        change.kind === 'membership_changed'
          ? [change.consultationId].filter((id) => id in data.subs)
          : Object.keys(data.subs);
      for (const id of ids) {
        try {
          const role = await this.placeIn(socket, id);
          socket.emit('role', { consultationId: id, role });
        } catch {
          this.leave(socket, id);
        }
        this.schedulePresence(id);
      }
    }
  }

  /**
   * When the access token expires the connection is closed (not the socket): the client reconnects at once,
   * handing over its refreshed token, and catches up; a client without a fresh token is refused at the handshake.
   */
  private closeAtExpiry(socket: Socket, token: string): void {
    let exp: number | undefined;
    try {
      exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).exp;
    } catch {
      return;
    }
    if (typeof exp !== 'number') return;
    const timer = setTimeout(() => socket.conn.close(), Math.max(0, exp * 1000 - Date.now()));
    timer.unref();
    socket.once('disconnect', () => clearTimeout(timer));
  }

  /**
   * Lets a connection in: within the connection limits per address and per account (shared through Redis when
   * REDIS_URL is set), and as the person its token names, if it has one.
   */
  private async admit(socket: Socket, data: SocketData): Promise<void> {
    // The client's address as HTTP sees it: X-Forwarded-For counts only from proxies TRUST_PROXY names.
    this.trust ??= trustFunction(this.config.trustProxy);
    await this.limiter.hit(
      'sockets',
      clientAddress(socket.request, this.trust) || 'unknown',
      this.config.socketRateLimit,
      60,
    );
    const token = socket.handshake.auth?.token;
    if (token === undefined || token === null || token === '') return;
    if (typeof token !== 'string' || token.length > 4096)
      throw new DomainError('INVALID_TOKEN', 401, 'The access token is not valid.');
    const principal = await this.auth.authenticate(token);
    await this.limiter.hit(
      'sockets-account',
      principal.id,
      Math.max(30, Math.floor(this.config.socketRateLimit / 10)),
      60,
    );
    data.principal = principal;
    data.token = token;
    this.track(socket, principal.id);
    await socket.join(`user:${principal.id}`);
    this.closeAtExpiry(socket, token);
  }

  private trust?: ReturnType<typeof trustFunction>;

  private track(socket: Socket, userId: string): void {
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(socket);
  }

  /** Who is watching, by role, across all processes; published to the room a moment after joins and leaves settle. */
  private schedulePresence(consultationId: string): void {
    if (this.presenceTimers.has(consultationId)) return;
    const timer = setTimeout(() => void this.publishPresence(consultationId), 150);
    timer.unref();
    this.presenceTimers.set(consultationId, timer);
  }

  private async publishPresence(consultationId: string): Promise<void> {
    this.presenceTimers.delete(consultationId);
    try {
      const r = rooms(consultationId);
      const sockets = await this.nsp.in([r.all, r.public]).fetchSockets();
      const byRole: Record<PresenceRole, number> = { public: 0, participant: 0, moderator: 0 };
      for (const s of sockets) {
        const role = (s.data as SocketData).subs?.[consultationId];
        if (role) byRole[role] += 1;
      }
      this.nsp.to([r.all, r.public]).emit('presence', { consultationId, total: sockets.length, byRole });
    } catch (e) {
      this.logger.warn(`presence for ${consultationId}: ${(e as Error).message}`);
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    for (const u of this.unsubscribers) u();
    for (const t of this.presenceTimers.values()) clearTimeout(t);
  }
}

function refusal(err: DomainError): Error {
  const e = new Error(err.message) as Error & { data: unknown };
  e.data = { code: err.code, message: err.message };
  return e;
}
