import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** A TCP port on the loopback interface that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts PostgreSQL compiled to WebAssembly (PGlite) with its data under `dataDir/pg`, and serves it on a
 * loopback port through pglite-socket, so the app reaches it through the same `pg` driver as a real server.
 * It is one shared session: code inside a transaction must use only that transaction's connection.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const dir = join(dataDir, 'pg');
  mkdirSync(dir, { recursive: true });
  // Native import(): the build keeps dynamic imports as they are (PGlite loads its WebAssembly lazily).
  const { PGlite } = await import('@electric-sql/pglite');
  const { pgcrypto } = await import('@electric-sql/pglite/contrib/pgcrypto');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create({ dataDir: dir, extensions: { pgcrypto, pg_trgm } });
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: maxConnections + 4 });
  keepExtendedQueriesTogether((server as unknown as { queryQueue: QueryQueue }).queryQueue, db);
  await server.start();
  let stopped = false;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (e: unknown) => void;
}
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(id: number): void;
}
interface ProtocolDb {
  isInTransaction(): boolean;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  execProtocolRawStream(message: Uint8Array, opts: { onRawData: (d: Uint8Array) => void }): Promise<unknown>;
}

const SYNC = 0x53; // 'S': ends an extended-protocol query (Parse, Bind, Describe, Execute, Sync)
const QUERY = 0x51; // 'Q': a simple query, complete in one message
const TERMINATE = 0x58; // 'X'

/**
 * pglite-socket queues each protocol message on its own, so outside a transaction the Parse of one connection
 * can land between the Parse and Bind of another ("bind message supplies 1 parameters, but prepared statement
 * requires 2") as soon as two requests run at once. This keeps a connection's messages together from its first
 * message to its Sync (and, as before, for a whole transaction); it also keeps the queue running after a failed
 * message, where the original stopped for good.
 */
function keepExtendedQueriesTogether(q: QueryQueue, db: ProtocolDb): void {
  let pinned: number | null = null;
  q.processQueue = async function (this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = pinned ?? (db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((m) => m.handlerId === owner);
        if (index === -1) break; // wait for the owner's next message
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(item.message, { onRawData: (d) => ((bytes += d.length), item.onData(d)) }),
          );
        } catch (e) {
          pinned = null;
          item.reject(e);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        const type = item.message[0];
        pinned = type === SYNC || type === QUERY || type === TERMINATE || type === 0 ? null : item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (id: number) => {
    if (pinned === id) pinned = null;
    clear(id);
    if (!q.processing) void q.processQueue();
  };
}
