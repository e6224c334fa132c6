/** RateLimiter: a fixed-window request budget per key (token or user); RateBucket: the shared count it takes its budget from. */

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

/** A key's fixed window in the shared count. */
export interface RateWindow {
  /** Units taken from the window so far (0 when no window is open). */
  count: number;
  /** Milliseconds until the window closes (0 when none is open). */
  ttlMs: number;
}

/** What {@link RateBucket.take} handed out, and the window after it. */
export interface RateGrant extends RateWindow {
  /** Units granted: at most the wanted number, never past the limit (0 when the window is spent). */
  granted: number;
}

/**
 * The count every node of a limiter shares (Redis, or a map in one process): fixed windows per
 * key, opened by the first take, from which a node takes units in leases (core/leased-rate-limiter.ts).
 */
export interface RateBucket {
  /** Atomically takes up to `want` units of the key's window of `limit` per `windowMs`, opening it if none is. */
  take(key: string, want: number, limit: number, windowMs: number): Promise<RateGrant>;
  read(key: string): Promise<RateWindow>;
  clear(key: string): Promise<void>;
  close(): Promise<void>;
}
