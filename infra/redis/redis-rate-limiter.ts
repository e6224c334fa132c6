/** RedisRateLimiter: the leased fixed-window RateLimiter whose count every web-api and streaming process shares in Redis. */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LeasedRateLimiter, type LeasedRateLimiterOptions } from '../../core/leased-rate-limiter';
import type { RateBucket, RateGrant, RateWindow } from '../../core/ports/rate-limiter';
import { closeClient, connectByUrl, type RedisConnect } from './redis-client';
import { asRedisFailure, onRedis } from './redis-outage';

/**
 * Takes up to ARGV[1] units of KEYS[1]'s window of ARGV[2] per ARGV[3] ms, opening the window
 * (PEXPIRE NX: only the take that opened it sets it) in the same atomic step, so concurrent
 * nodes never take past the limit and a counter can never be left without a TTL.
 * Returns {granted, count, pttl}.
 */
const TAKE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[2])
if used >= limit then return {0, used, redis.call('PTTL', KEYS[1])} end
local granted = math.min(tonumber(ARGV[1]), limit - used)
local count = redis.call('INCRBY', KEYS[1], granted)
redis.call('PEXPIRE', KEYS[1], ARGV[3], 'NX')
return {granted, count, redis.call('PTTL', KEYS[1])}
`;
const TAKE_SHA = createHash('sha1').update(TAKE).digest('hex');

/** Options for {@link RedisRateLimiter}. */
export interface RedisRateLimiterOptions extends LeasedRateLimiterOptions {
  /** Used when `connect` is not given. */
  url?: string;
  /** Opens the connection; the limiter owns and closes it. */
  connect?: RedisConnect;
  /** Prepended to every key (`${prefix}rl:${key}`). Default `trib:`. */
  prefix?: string;
}

/** One counter per key whose TTL is the window, taken from by one EVALSHA per lease. */
export class RedisRateBuckets implements RateBucket {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async take(key: string, want: number, limit: number, windowMs: number): Promise<RateGrant> {
    const counter = this.counter(key);
    const args = [counter, want, limit, windowMs];
    const reply = await onRedis(
      // The script is cached by sha; a server that lacks it (restarted, or promoted in a failover) is sent it whole once.
      this.redis.evalsha(TAKE_SHA, 1, ...args).catch((error: unknown) => {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return this.redis.eval(TAKE, 1, ...args);
        throw error;
      }),
    );
    const [granted, count, ttlMs] = (reply as number[]).map(Number);
    return { granted: granted ?? 0, count: count ?? 0, ttlMs: ttlMs ?? -1 };
  }

  async read(key: string): Promise<RateWindow> {
    const counter = this.counter(key);
    const replies = await onRedis(this.redis.multi().get(counter).pttl(counter).exec());
    if (!replies) throw new Error('rate limiter transaction aborted');
    for (const [error] of replies) if (error) throw asRedisFailure(error);
    const count = Number(replies[0]?.[1] ?? 0);
    const ttlMs = Number(replies[1]?.[1]);
    // No counter, or one without a TTL (cannot happen: the script sets it in the same step): no open window.
    return count === 0 || ttlMs < 0 ? { count: 0, ttlMs: 0 } : { count, ttlMs };
  }

  async clear(key: string): Promise<void> {
    await onRedis(this.redis.del(this.counter(key)));
  }

  async close(): Promise<void> {
    await closeClient(this.redis);
  }

  private counter(key: string): string {
    return `${this.prefix}rl:${key}`;
  }
}

export class RedisRateLimiter extends LeasedRateLimiter {
  constructor(options: RedisRateLimiterOptions) {
    const redis = (options.connect ?? connectByUrl(options.url ?? 'redis://127.0.0.1:6379'))();
    super(new RedisRateBuckets(redis, options.prefix ?? 'trib:'), options);
  }
}
