import { Injectable } from '@nestjs/common';
import type { Principal } from '@plenary/accounts';
import { EventsService, WireEvent } from '@plenary/consultations';
import { ContributionResponse, ContributionsService, PUBLIC_VIEWER, Viewer } from '@plenary/contributions';

/**
 * What a contribution event may say by itself: where, which, what status and counts. Anything else in a stored
 * event's data (events written before they carried ids only held the text) is dropped on delivery.
 */
const CONTRIBUTION_EVENT_KEYS = new Set([
  'id',
  'trackingNumber',
  'documentId',
  'paragraphId',
  'lineageKey',
  'kind',
  'parentId',
  'threadRootId',
  'status',
  'round',
  'roundId',
  'submittedAt',
  'editedAt',
  'editCount',
  'withdrawnAt',
  'group',
  'endorsements',
  'reason',
  'review',
  'openFlags',
  'disposition',
  'resultingParagraphId',
  'clusterId',
  'action',
]);

const isContributionEvent = (e: WireEvent) => e.type.startsWith('contribution.') && typeof e.data.id === 'string';

/**
 * Events carry ids, not words. On delivery (the socket relay and the catch-up alike) each contribution event gets
 * `data.contribution`: the contribution as its audience may see it at that moment under the visibility policy
 * (null when not at all). It is read once per audience, not once per socket.
 */
@Injectable()
export class EventDelivery {
  constructor(
    private readonly events: EventsService,
    private readonly contributions: ContributionsService,
  ) {}

  /** What a client missed: events after `after` it may see, oldest first, each as it may see it now. */
  async after(
    consultationId: string,
    p: Principal | undefined,
    after: number,
    limit: number,
  ): Promise<{ events: WireEvent[]; head: number }> {
    const page = await this.events.after(consultationId, p, after, limit);
    // Who moderates was asked once, for the events' visibility: the same answer says how contributions are seen.
    const viewer: Viewer = { userId: p?.id ?? null, moderator: page.visibility.kind === 'all' };
    return { head: page.head, events: await this.dress(consultationId, page.events, viewer) };
  }

  /** The events as `viewer` may see them now. */
  async dress(consultationId: string, events: WireEvent[], viewer: Viewer = PUBLIC_VIEWER): Promise<WireEvent[]> {
    return (await this.dressAll(consultationId, [{ events, viewer }]))[0];
  }

  /** Several audiences' events at once: the contributions they name are read once for all of them. */
  async dressAll(consultationId: string, audiences: { events: WireEvent[]; viewer: Viewer }[]): Promise<WireEvent[][]> {
    const ids = audiences.flatMap((a) => a.events.filter(isContributionEvent).map((e) => e.data.id as string));
    if (!ids.length) return audiences.map((a) => a.events);
    const seen = await this.contributions.forDelivery(
      consultationId,
      ids,
      audiences.map((a) => a.viewer),
    );
    return audiences.map((a, i) => a.events.map((e) => (isContributionEvent(e) ? dressed(e, seen[i]) : e)));
  }
}

function dressed(e: WireEvent, seen: Map<string, ContributionResponse>): WireEvent {
  const data = Object.fromEntries(Object.entries(e.data).filter(([k]) => CONTRIBUTION_EVENT_KEYS.has(k)));
  // A moderation event keeps its action and reason code, never a moderator's note.
  const m = e.data.moderation as { action?: unknown; reason?: unknown; at?: unknown } | undefined;
  if (m && typeof m === 'object') data.moderation = { action: m.action, reason: m.reason, at: m.at };
  return { ...e, data: { ...data, contribution: seen.get(e.data.id as string) ?? null } };
}
