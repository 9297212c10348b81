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
  private readonly redis?: Redis & { plenaryIncrement?: (k1: string, k2: string, ttl: number, limit: number, block: number) => Promise<[number, number, number]> };
  private readonly memory?: ThrottlerStorageService;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const namespace = config.databaseUrl ? createHash('sha256').update(config.databaseUrl).digest('hex').slice(0, 12) : 'embedded';
    this.prefix = `plenary:rl:${namespace}:`;
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2000, commandTimeout: 2000 });
      this.redis.on('error', (e) => this.logger.warn(`Redis: ${e.message}`));
      this.redis.defineCommand('plenaryIncrement', { numberOfKeys: 2, lua: INCREMENT });
    } else {
      this.memory = new ThrottlerStorageService();
    }
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    if (!this.redis) return this.memory!.increment(key, ttl, limit, blockDuration, throttlerName);
    const k = `${this.prefix}${throttlerName}:${key}`;
    try {
      const [hits, left, blocked] = await this.redis.plenaryIncrement!(k, `${k}:blocked`, ttl, limit, blockDuration);
      return { totalHits: hits, timeToExpire: Math.ceil(left / 1000), isBlocked: blocked > 0, timeToBlockExpire: Math.ceil(blocked / 1000) };
    } catch (e) {
      this.logger.warn(`rate limit not checked (${throttlerName}): ${(e as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.memory?.onApplicationShutdown();
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

@Module({ providers: [SharedThrottlerStorage], exports: [SharedThrottlerStorage] })
export class SharedThrottlerStorageModule {}
