import { Inject, Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { APP_CONFIG, AppConfig } from '@plenary/core';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * One atomic step of a fixed-window counter with blocking, as @nestjs/throttler's in-memory storage does it:
 * KEYS[1] the hit counter, KEYS[2] the block marker; ARGV ttl ms, limit, block ms. Returns hits, ms left in the
 * window, ms left blocked (0 when not blocked).
 */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
local blocked = redis.call('PTTL', KEYS[2])
if blocked < 0 then blocked = 0 end
if blocked == 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return { hits, ttl, blocked }
`;

/**
 * Takes one of `limit` slots in a fixed window (KEYS[1]; ARGV window ms, limit): returns 1 and the ms left in the
 * window, or 0 (nothing taken) when every slot is in use.
 */
const RESERVE = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
if hits > tonumber(ARGV[2]) then
  redis.call('DECR', KEYS[1])
  return { 0, ttl }
end
return { 1, ttl }
`;

/** Gives a slot back (KEYS[1]); never creates the key, so a window that has passed stays passed. */
const RELEASE = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end
end
return 0
`;

/** The outcome of taking a slot: whether one was free, and how long until the window ends. */
export interface Reservation {
  taken: boolean;
  retryAfterSeconds: number;
}

type PlenaryRedis = Redis & {
  plenaryIncrement?: (
    k1: string,
    k2: string,
    ttl: number,
    limit: number,
    block: number,
  ) => Promise<[number, number, number]>;
  plenaryReserve?: (k: string, windowMs: number, limit: number) => Promise<[number, number]>;
  plenaryRelease?: (k: string) => Promise<number>;
};

const MAX_MEMORY_SLOTS = 100_000;

/**
 * The rate limits' storage (logins, submissions, flags, live connections). With REDIS_URL it is Redis, so a limit
 * holds across every process serving the deployment (keys are namespaced by database, so deployments sharing a Redis
 * do not count each other); without it, the throttler's in-memory storage, per process.
 *
 * If Redis stops answering, a request is let through (and the failure logged) rather than refused: the limits shield
 * against abuse, they must not take the consultation down with them.
 */
@Injectable()
export class SharedThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger('RateLimits');
  private readonly redis?: PlenaryRedis;
  private readonly memory?: ThrottlerStorageService;
  /** Slot counters when there is no Redis: key -> hits and when the window ends (performance.now() ms). */
  private readonly slots = new Map<string, { hits: number; endsAt: number }>();
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const namespace = config.databaseUrl
      ? createHash('sha256').update(config.databaseUrl).digest('hex').slice(0, 12)
      : 'embedded';
    this.prefix = `plenary:rl:${namespace}:`;
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: true,
        connectTimeout: 2000,
        commandTimeout: 2000,
      });
      this.redis.on('error', (e) => this.logger.warn(`Redis: ${e.message}`));
      this.redis.defineCommand('plenaryIncrement', { numberOfKeys: 2, lua: INCREMENT });
      this.redis.defineCommand('plenaryReserve', { numberOfKeys: 1, lua: RESERVE });
      this.redis.defineCommand('plenaryRelease', { numberOfKeys: 1, lua: RELEASE });
    } else {
      this.memory = new ThrottlerStorageService();
    }
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (!this.redis) return this.memory!.increment(key, ttl, limit, blockDuration, throttlerName);
    const k = `${this.prefix}${throttlerName}:${key}`;
    try {
      const [hits, left, blocked] = await this.redis.plenaryIncrement!(k, `${k}:blocked`, ttl, limit, blockDuration);
      return {
        totalHits: hits,
        timeToExpire: Math.ceil(left / 1000),
        isBlocked: blocked > 0,
        timeToBlockExpire: Math.ceil(blocked / 1000),
      };
    } catch (e) {
      this.logger.warn(`rate limit not checked (${throttlerName}): ${(e as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  /**
   * Takes one of `limit` slots for `key` in a window of `windowMs` that starts with the first slot taken. Taking before
   * acting (and giving back when the act turns out not to count) means concurrent requests cannot all slip past the
   * limit together, as they could if each only looked at the count first.
   */
  async reserve(bucket: string, key: string, limit: number, windowMs: number): Promise<Reservation> {
    const k = `${this.prefix}${bucket}:${key}`;
    if (!this.redis) return this.reserveInMemory(k, limit, windowMs);
    try {
      const [taken, left] = await this.redis.plenaryReserve!(k, windowMs, limit);
      return { taken: taken === 1, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
    } catch (e) {
      this.logger.warn(`rate limit not checked (${bucket}): ${(e as Error).message}`);
      return { taken: true, retryAfterSeconds: 0 };
    }
  }

  /** Gives back a slot taken by reserve(). */
  async release(bucket: string, key: string): Promise<void> {
    const k = `${this.prefix}${bucket}:${key}`;
    if (!this.redis) {
      const slot = this.slots.get(k);
      if (slot && --slot.hits <= 0) this.slots.delete(k);
      return;
    }
    try {
      await this.redis.plenaryRelease!(k);
    } catch (e) {
      this.logger.warn(`rate limit slot not given back (${bucket}): ${(e as Error).message}`);
    }
  }

  private reserveInMemory(k: string, limit: number, windowMs: number): Reservation {
    const now = performance.now();
    let slot = this.slots.get(k);
    if (slot && slot.endsAt <= now) {
      this.slots.delete(k);
      slot = undefined;
    }
    if (!slot) {
      if (this.slots.size >= MAX_MEMORY_SLOTS) this.sweep(now);
      slot = { hits: 0, endsAt: now + windowMs };
      this.slots.set(k, slot);
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((slot.endsAt - now) / 1000));
    if (slot.hits >= limit) return { taken: false, retryAfterSeconds };
    slot.hits += 1;
    return { taken: true, retryAfterSeconds };
  }

  /** Drops windows that have ended; if that is not enough, the oldest (a flood of keys must not exhaust memory). */
  private sweep(now: number): void {
    for (const [k, s] of this.slots) if (s.endsAt <= now) this.slots.delete(k);
    for (const k of this.slots.keys()) {
      if (this.slots.size < MAX_MEMORY_SLOTS * 0.9) break;
      this.slots.delete(k);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.memory?.onApplicationShutdown();
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

@Module({ providers: [SharedThrottlerStorage], exports: [SharedThrottlerStorage] })
export class SharedThrottlerStorageModule {}
