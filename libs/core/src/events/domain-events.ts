import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/** A consultation event as committed to the outbox (the `events` table). */
export interface CommittedEvent {
  consultationId: string;
  /** Per consultation, without gaps, in commit order. */
  seq: number;
  type: string;
  /** `public`: everyone who may read the consultation; `moderators`: its moderators and chairs (and `subjectUserId`). */
  audience: 'public' | 'moderators';
  /** A user who also sees this event whatever the audience (the author of a pending contribution). */
  subjectUserId: string | null;
  /** The previous public event of the consultation (public clients check their chain with it). */
  prevPublicSeq: number;
  data: Record<string, unknown>;
  at: string;
}

/** Changes to who someone is or may do: the real-time gateway re-checks that person's sockets. */
export type AccessChange =
  | { kind: 'session_revoked'; sessionId: string }
  | { kind: 'user_changed'; userId: string }
  | { kind: 'membership_changed'; consultationId: string; userId: string };

/**
 * In-process notifications, emitted only after the change they describe has committed. The real-time
 * gateway listens; nothing else depends on it, so a lib can announce without knowing who listens.
 */
@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(50);

  committed(events: CommittedEvent[]): void {
    if (events.length) this.emitter.emit('committed', events);
  }

  accessChanged(change: AccessChange): void {
    this.emitter.emit('access', change);
  }

  /** Ephemeral progress of a long piece of work, for the person who asked (relayed to their sockets). */
  progress(
    userId: string,
    payload: { kind: string; id?: string; consultationId?: string; percent: number; step: string },
  ): void {
    this.emitter.emit('progress', userId, payload);
  }

  onProgress(listener: (userId: string, payload: Record<string, unknown>) => void): () => void {
    this.emitter.on('progress', listener);
    return () => this.emitter.off('progress', listener);
  }

  onCommitted(listener: (events: CommittedEvent[]) => void): () => void {
    this.emitter.on('committed', listener);
    return () => this.emitter.off('committed', listener);
  }

  onAccessChanged(listener: (change: AccessChange) => void): () => void {
    this.emitter.on('access', listener);
    return () => this.emitter.off('access', listener);
  }
}
