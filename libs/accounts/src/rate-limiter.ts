import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { CommonErrors } from '@plenary/core';

/**
 * Counts actions per key in the throttler's storage (the same storage the login limits use), so a limit
 * on submissions or flags holds wherever that storage is shared.
 */
@Injectable()
export class RateLimiter {
  constructor(@Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage) {}

  /** Records one action; throws 429 RATE_LIMITED with Retry-After once `limit` is passed within `windowSeconds`. */
  async hit(bucket: string, key: string, limit: number, windowSeconds: number): Promise<void> {
    const ttl = windowSeconds * 1000;
    const r = await this.storage.increment(`${bucket}:${key}`, ttl, limit, ttl, bucket);
    if (r.isBlocked) throw CommonErrors.rateLimited(Math.max(1, Math.ceil(r.timeToBlockExpire)));
  }
}
