/** RedisRateLimiter: the fixed-window RateLimiter shared by every web-api process. */
import type { Redis } from 'ioredis';
import type { RateDecision, RateLimiter } from '../../core/ports/rate-limiter';
import { closeClient, connectByUrl, type RedisConnect } from './redis-client';
import { asRedisFailure, onRedis } from './redis-outage';

/** Options for {@link RedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** Hits allowed per key per window. */
  limit: number;
  windowSeconds: number;
  /** Used when `connect` is not given. */
  url?: string;
  /** Opens the connection; the limiter owns and closes it. */
  connect?: RedisConnect;
  /** Prepended to every key (`${prefix}rl:${key}`). Default `trib:`. */
  prefix?: string;
}

/**
 * One counter per key whose TTL is the window: INCR, then PEXPIRE NX (only the hit that opened
 * the window sets it; Redis >= 7), then PTTL, in one MULTI, so concurrent processes agree and
 * a crash between the commands cannot leave a counter that never expires.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(options: RedisRateLimiterOptions) {
    this.redis = (options.connect ?? connectByUrl(options.url ?? 'redis://127.0.0.1:6379'))();
    this.prefix = options.prefix ?? 'trib:';
    this.limit = options.limit;
    this.windowMs = options.windowSeconds * 1000;
  }

  async hit(key: string): Promise<RateDecision> {
    const counter = `${this.prefix}rl:${key}`;
    const replies = await onRedis(this.redis.multi().incr(counter).pexpire(counter, this.windowMs, 'NX').pttl(counter).exec());
    if (!replies) throw new Error('rate limiter transaction aborted');
    for (const [error] of replies) if (error) throw asRedisFailure(error);
    const count = Number(replies[0]?.[1]);
    const ttlMs = Number(replies[2]?.[1]);
    return {
      allowed: count <= this.limit,
      remaining: Math.max(0, this.limit - count),
      // PTTL is negative only if the key vanished mid-transaction (FLUSHDB): assume a full window.
      retryAfterSeconds: Math.ceil((ttlMs >= 0 ? ttlMs : this.windowMs) / 1000),
    };
  }

  async peek(key: string): Promise<RateDecision> {
    const counter = `${this.prefix}rl:${key}`;
    const replies = await onRedis(this.redis.multi().get(counter).pttl(counter).exec());
    if (!replies) throw new Error('rate limiter transaction aborted');
    for (const [error] of replies) if (error) throw asRedisFailure(error);
    const count = Number(replies[0]?.[1] ?? 0);
    const ttlMs = Number(replies[1]?.[1]);
    // No counter, or one without a TTL (cannot happen: INCR and PEXPIRE run in one MULTI): an open window.
    if (count === 0 || ttlMs < 0) return { allowed: true, remaining: this.limit, retryAfterSeconds: 0 };
    return { allowed: count < this.limit, remaining: Math.max(0, this.limit - count), retryAfterSeconds: Math.ceil(ttlMs / 1000) };
  }

  async reset(key: string): Promise<void> {
    await onRedis(this.redis.del(`${this.prefix}rl:${key}`));
  }

  async close(): Promise<void> {
    await closeClient(this.redis);
  }
}
