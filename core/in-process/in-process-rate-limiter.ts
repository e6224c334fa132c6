/** InProcessRateLimiter: a fixed-window RateLimiter in memory, for the embedded mode and unit tests. */
import type { RateDecision, RateLimiter } from '../ports/rate-limiter';

/** Options for {@link InProcessRateLimiter}. */
export interface InProcessRateLimiterOptions {
  /** Hits allowed per key per window. */
  limit: number;
  windowSeconds: number;
  /** Clock in ms; injectable so tests need not sleep through a window. */
  now?: () => number;
}

interface Window {
  count: number;
  resetsAt: number;
}

/**
 * Fixed window per key, opened by the key's first hit (the same rule as the Redis one, where the
 * window is the counter's TTL). Expired windows are swept at most once per window length, so
 * memory follows the number of recently active keys.
 */
export class InProcessRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private nextSweepAt: number;

  constructor(options: InProcessRateLimiterOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowSeconds * 1000;
    this.now = options.now ?? Date.now;
    this.nextSweepAt = this.now() + this.windowMs;
  }

  async hit(key: string): Promise<RateDecision> {
    const now = this.now();
    if (now >= this.nextSweepAt) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetsAt <= now) {
      window = { count: 0, resetsAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return {
      allowed: window.count <= this.limit,
      remaining: Math.max(0, this.limit - window.count),
      retryAfterSeconds: Math.ceil((window.resetsAt - now) / 1000),
    };
  }

  async peek(key: string): Promise<RateDecision> {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.resetsAt <= now) return { allowed: true, remaining: this.limit, retryAfterSeconds: 0 };
    return {
      allowed: window.count < this.limit,
      remaining: Math.max(0, this.limit - window.count),
      retryAfterSeconds: Math.ceil((window.resetsAt - now) / 1000),
    };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(key);
    this.nextSweepAt = now + this.windowMs;
  }
}
