/** InProcessRateLimiter: the leased fixed-window RateLimiter over a bucket in memory, for the embedded mode and unit tests. */
import { LeasedRateLimiter, type LeasedRateLimiterOptions } from '../leased-rate-limiter';
import type { RateBucket, RateGrant, RateWindow } from '../ports/rate-limiter';

interface Window {
  count: number;
  resetsAt: number;
}

/**
 * The shared count in memory: one fixed window per key, opened by the key's first take (the
 * same rule as the Redis one, where the window is the counter's TTL). Several limiters given the
 * same buckets share them, as processes share one Redis. Expired windows are swept at most once
 * per window length, so memory follows the number of recently active keys.
 */
export class InProcessRateBuckets implements RateBucket {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async take(key: string, want: number, limit: number, windowMs: number): Promise<RateGrant> {
    const now = this.now();
    if (now >= this.nextSweepAt) this.sweep(now, windowMs);
    let window = this.open(key, now);
    if (!window) {
      window = { count: 0, resetsAt: now + windowMs };
      this.windows.set(key, window);
    }
    const granted = Math.max(0, Math.min(want, limit - window.count));
    window.count += granted;
    return { granted, count: window.count, ttlMs: window.resetsAt - now };
  }

  async read(key: string): Promise<RateWindow> {
    const now = this.now();
    const window = this.open(key, now);
    return window ? { count: window.count, ttlMs: window.resetsAt - now } : { count: 0, ttlMs: 0 };
  }

  async clear(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async close(): Promise<void> {}

  private open(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    return window && window.resetsAt > now ? window : undefined;
  }

  private sweep(now: number, windowMs: number): void {
    for (const [key, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(key);
    this.nextSweepAt = now + windowMs;
  }
}

/** Options for {@link InProcessRateLimiter}. */
export interface InProcessRateLimiterOptions extends LeasedRateLimiterOptions {
  /** The shared count; default a bucket of its own (one process, one limiter). */
  buckets?: InProcessRateBuckets;
}

export class InProcessRateLimiter extends LeasedRateLimiter {
  constructor(options: InProcessRateLimiterOptions) {
    super(options.buckets ?? new InProcessRateBuckets(options.now), options);
  }
}
