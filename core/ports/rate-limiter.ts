/** RateLimiter: a fixed-window request budget per key (token or user). */

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  /** Seconds until the window resets. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Spends one unit of the key's budget. */
  hit(key: string): Promise<RateDecision>;
  /** The key's state without spending anything (`allowed`: whether one more hit would be). */
  peek(key: string): Promise<RateDecision>;
  /** Forgets the key's window (a successful login clears its failures). */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}
