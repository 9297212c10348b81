import { LiveClient, LiveEvent, WatchRole } from '@plenary/realtime/client';

/** One socket.io packet as it arrived, in arrival order: the raw JSON of what the server sent. */
export interface RecordedPacket {
  /** Position in this socket's arrival order. */
  n: number;
  /** JSON of the decoded socket.io packet (event name and payload, or an ack with the catch-up). */
  raw: string;
  /** Events this packet carried (an `event` message, or the events of a subscribe ack). */
  events: LiveEvent[];
}

/**
 * A `/live` watcher (the `LiveClient` the web app uses) that also records every packet the server sent it, in
 * arrival order, before any client-side filtering: so a test can look for text in the raw bytes of everything a
 * reader received, live and in catch-up acks alike, and tell what arrived before or after a given event.
 */
export class LiveRecorder {
  readonly client: LiveClient;
  readonly packets: RecordedPacket[] = [];
  /** Events delivered by the client (each once, in order). */
  readonly delivered: LiveEvent[] = [];
  readonly roles = new Map<string, WatchRole>();
  readonly errors: { code: string; message: string }[] = [];

  constructor(
    url: string,
    readonly name: string,
    token?: () => string | undefined,
  ) {
    this.client = new LiveClient({ url, token });
    // The manager decodes every packet of every namespace; hooked before the connection opens, it sees them all.
    this.client.socket.io.on('packet', (p: { type: number; nsp: string; data?: unknown; id?: number }) => {
      const events: LiveEvent[] = [];
      const data = p.data as unknown[] | undefined;
      if (Array.isArray(data)) {
        if (data[0] === 'event' && data[1] && typeof data[1] === 'object') events.push(data[1] as LiveEvent);
        for (const x of data) {
          const ack = x as { events?: unknown };
          if (ack && typeof ack === 'object' && Array.isArray(ack.events)) events.push(...(ack.events as LiveEvent[]));
        }
      }
      this.packets.push({ n: this.packets.length, raw: JSON.stringify(p), events });
    });
  }

  async watch(consultationIds: string[], after = 0): Promise<void> {
    await this.client.connected();
    for (const id of consultationIds) {
      this.client.watch(id, {
        after,
        onEvent: (e) => this.delivered.push(e),
        onRole: (r) => this.roles.set(id, r),
        onError: (e) => this.errors.push(e),
      });
    }
    await waitFor(
      () => consultationIds.every((id) => this.roles.has(id)) || this.errors.length > 0,
      `${this.name} subscribed`,
    );
    if (this.errors.length) throw new Error(`${this.name}: subscribe refused: ${JSON.stringify(this.errors)}`);
  }

  /** Every event received, in arrival order, with the packet it came in. */
  events(): { n: number; e: LiveEvent }[] {
    return this.packets.flatMap((p) => p.events.map((e) => ({ n: p.n, e })));
  }

  /** Index of the first packet that carried an event matching `match`, or undefined. */
  firstPacketWith(match: (e: LiveEvent) => boolean): number | undefined {
    return this.packets.find((p) => p.events.some(match))?.n;
  }

  /** Resolves once some packet contains `text` (a marker of a later public event): what came before it has arrived. */
  waitForText(text: string, ms = 15_000): Promise<void> {
    return waitFor(() => this.packets.some((p) => p.raw.includes(text)), `${this.name} to receive ${text}`, ms);
  }

  close(): void {
    this.client.close();
  }
}

/** Polls a condition (no fixed sleeps): resolves when it holds, fails with `what` after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
