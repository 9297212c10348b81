import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommittedEvent, DomainEvents } from '@plenary/core';
import type { Tx } from '@plenary/database';

export interface NewEvent {
  type: string;
  audience: 'public' | 'moderators';
  subjectUserId?: string | null;
  data: Record<string, unknown>;
}

/**
 * SQL that numbers one event and writes it, for use inside a larger statement: `$consultation`, `$type`, `$audience`,
 * `$subject`, `$data` are SQL expressions. The counter row stays locked until the transaction commits, which is
 * what keeps the numbers gapless and in commit order.
 */
export function eventInsertSql(x: {
  consultation: string;
  type: string;
  audience: string;
  subject: string;
  data: string;
  from?: string;
}): string {
  return `
      ctr AS (
        INSERT INTO event_counters AS ec (consultation_id, last, last_public, prev_public)
        SELECT ${x.consultation}, 1, CASE WHEN ${x.audience} = 'public' THEN 1 ELSE 0 END, 0 ${x.from ? `FROM ${x.from}` : ''}
        ON CONFLICT (consultation_id) DO UPDATE
          SET last = ec.last + 1,
              prev_public = ec.last_public,
              last_public = CASE WHEN EXCLUDED.last_public = 1 THEN ec.last + 1 ELSE ec.last_public END
        RETURNING last, prev_public
      ),
      ev AS (
        INSERT INTO events (consultation_id, seq, type, audience, subject_user_id, prev_public_seq, data)
        SELECT ${x.consultation}, ctr.last, ${x.type}, ${x.audience}, ${x.subject}, ctr.prev_public, ${x.data}
          FROM ctr${x.from ? `, ${x.from}` : ''}
        RETURNING consultation_id, seq, type, audience, subject_user_id, prev_public_seq, data, at
      )`;
}

export function toCommitted(r: {
  consultation_id: string;
  seq: string | number;
  type: string;
  audience: string;
  subject_user_id: string | null;
  prev_public_seq: string | number;
  data: Record<string, unknown>;
  at: Date | string;
}): CommittedEvent {
  return {
    consultationId: r.consultation_id,
    seq: Number(r.seq),
    type: r.type,
    audience: r.audience as CommittedEvent['audience'],
    subjectUserId: r.subject_user_id,
    prevPublicSeq: Number(r.prev_public_seq),
    data: r.data,
    at: new Date(r.at).toISOString(),
  };
}

/** Writes events in the caller's transaction; the caller announces them after commit with `announce`. */
@Injectable()
export class EventOutbox {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly bus: DomainEvents,
  ) {}

  async append(tx: Tx, consultationId: string, events: NewEvent[]): Promise<CommittedEvent[]> {
    const out: CommittedEvent[] = [];
    for (const e of events) {
      const sql = `WITH ${eventInsertSql({ consultation: '$1::uuid', type: '$2', audience: '$3', subject: '$4::uuid', data: '$5::jsonb' })}
        SELECT * FROM ev`;
      const rows = await tx.query(sql, [
        consultationId,
        e.type,
        e.audience,
        e.subjectUserId ?? null,
        JSON.stringify(e.data),
      ]);
      out.push(toCommitted(rows[0]));
    }
    return out;
  }

  /** Hands committed events to whoever listens in this process (the real-time gateway). Call after commit. */
  announce(events: CommittedEvent[]): void {
    this.bus.committed(events);
  }

  async heads(consultationIds: string[]): Promise<{ consultationId: string; last: number; lastPublic: number }[]> {
    const rows: { consultation_id: string; last: string; last_public: string }[] = await this.ds.query(
      `SELECT consultation_id, last, last_public FROM event_counters WHERE consultation_id = ANY($1::uuid[])`,
      [consultationIds],
    );
    return rows.map((r) => ({
      consultationId: r.consultation_id,
      last: Number(r.last),
      lastPublic: Number(r.last_public),
    }));
  }

  /** Events after `after`, oldest first, that a reader with this visibility may see, and the head of that stream. */
  async after(
    consultationId: string,
    after: number,
    limit: number,
    visibility: { kind: 'all' } | { kind: 'public_or_subject'; userId: string } | { kind: 'public' },
  ): Promise<{ events: CommittedEvent[]; head: number }> {
    const params: unknown[] = [consultationId, after, limit];
    let filter = '';
    if (visibility.kind === 'public') filter = `AND audience = 'public'`;
    if (visibility.kind === 'public_or_subject') {
      params.push(visibility.userId);
      filter = `AND (audience = 'public' OR subject_user_id = $4)`;
    }
    const [rows, counter] = await Promise.all([
      this.ds.query(
        `SELECT * FROM events WHERE consultation_id = $1 AND seq > $2 ${filter} ORDER BY seq LIMIT $3`,
        params,
      ),
      this.ds.query(`SELECT last, last_public FROM event_counters WHERE consultation_id = $1`, [consultationId]),
    ]);
    const head = counter.length ? Number(visibility.kind === 'all' ? counter[0].last : counter[0].last_public) : 0;
    return { events: rows.map(toCommitted), head };
  }
}

/** An event as clients receive it (socket or HTTP): `prev` links it to the previous event of the same stream. */
export interface WireEvent {
  seq: number;
  type: string;
  consultationId: string;
  /** Previous seq in this stream (moderators: every event; others: public events); null for events about oneself. */
  prev: number | null;
  at: string;
  data: Record<string, unknown>;
}

export function toWire(e: CommittedEvent, stream: 'all' | 'public' | 'subject'): WireEvent {
  const prev = stream === 'all' ? e.seq - 1 : stream === 'public' ? e.prevPublicSeq : null;
  return { seq: e.seq, type: e.type, consultationId: e.consultationId, prev, at: e.at, data: e.data };
}
