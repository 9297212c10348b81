import { Injectable } from '@nestjs/common';
import type { Principal } from '@plenary/accounts';
import { ConsultationAccess } from './consultation-access';
import { EventOutbox, toWire, WireEvent } from './event-outbox';

export type EventVisibility = Parameters<EventOutbox['after']>[3];

/** Who sees which events: moderators and chairs everything; others the public ones and those about themselves. */
@Injectable()
export class EventsService {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly access: ConsultationAccess,
  ) {}

  async visibility(consultationId: string, p: Principal | undefined): Promise<EventVisibility> {
    if (!p) return { kind: 'public' };
    if (await this.access.isModerator(consultationId, p)) return { kind: 'all' };
    return { kind: 'public_or_subject', userId: p.id };
  }

  /** For a watcher: refuses what the caller may not read (404 for drafts), then says what they may see. */
  async watch(consultationId: string, p: Principal | undefined): Promise<EventVisibility> {
    await this.access.readable(consultationId, p);
    return this.visibility(consultationId, p);
  }

  /** The newest seq (all events, public events) of each consultation. */
  heads(consultationIds: string[]) {
    return this.outbox.heads(consultationIds);
  }

  /** What a client missed: events after `after` it may see, oldest first, and the head of its stream. */
  async after(
    consultationId: string,
    p: Principal | undefined,
    after: number,
    limit: number,
  ): Promise<{ events: WireEvent[]; head: number; visibility: EventVisibility }> {
    await this.access.readable(consultationId, p);
    const v = await this.visibility(consultationId, p);
    const { events, head } = await this.outbox.after(consultationId, after, limit, v);
    return {
      head,
      visibility: v,
      events: events.map((e) => toWire(e, v.kind === 'all' ? 'all' : e.audience === 'public' ? 'public' : 'subject')),
    };
  }
}
