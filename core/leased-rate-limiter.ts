/**
 * LeasedRateLimiter: a RateLimiter that takes its budget from a shared RateBucket in leases of
 * several units and spends them locally, so a busy key costs one bucket round trip per lease
 * instead of one per request (ADR 031).
 */
import type { RateBucket, RateDecision, RateLimiter } from './ports/rate-limiter';

/** Options shared by every leased limiter. */
export interface LeasedRateLimiterOptions {
  /** Hits allowed per key per window. */
  limit: number;
  windowSeconds: number;
  /** Units taken from the shared bucket at once (default 1: every hit asks the bucket, exact). */
  lease?: number;
  /** Clock in ms; injectable so tests need not sleep through a window. */
  now?: () => number;
}

/** Units unspent from a lease this node took, valid until its window closes. */
interface Lease {
  left: number;
  /** What the bucket had left for everyone when the lease was taken (for `remaining`). */
  sharedLeft: number;
  expiresAt: number;
}

/**
 * The lease size for a request budget: limit/64, clamped to 1..16. Small enough that the units a
 * node can hold unspent (k−1) stay a small share of the limit, large enough to save most round trips.
 */
export function leaseSizeFor(limit: number): number {
  return Math.min(16, Math.max(1, Math.floor(limit / 64)));
}

/**
 * Every unit spent was taken from the bucket first, so the units granted within one window of
 * the bucket never exceed `limit`. A lease ends when its window does: its expiry is measured
 * from the moment the take was *sent*, so it never outlives the bucket's window (which started
 * at the earliest then). Over-admission is possible only across a `reset` made on another node,
 * which cannot reach this node's unspent units: at most k−1 per node per window, so at most
 * limit + nodes×(k−1). Unspent units of a node that stops asking are wasted until the window
 * ends (under-admission by the same bound). With lease 1 (login failures) nothing is ever held.
 */
export class LeasedRateLimiter implements RateLimiter {
  private readonly leases = new Map<string, Lease>();
  /** Takes in flight per key: concurrent hits wait for one lease rather than each taking one. */
  private readonly taking = new Map<string, Promise<unknown>>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly lease: number;
  private readonly now: () => number;
  private nextSweepAt: number;

  constructor(
    private readonly bucket: RateBucket,
    options: LeasedRateLimiterOptions,
  ) {
    this.limit = options.limit;
    this.windowMs = options.windowSeconds * 1000;
    this.lease = Math.max(1, Math.floor(options.lease ?? 1));
    this.now = options.now ?? Date.now;
    this.nextSweepAt = this.now() + this.windowMs;
  }

  async hit(key: string): Promise<RateDecision> {
    let spent = this.spend(key);
    while (!spent) {
      const inFlight = this.taking.get(key);
      if (!inFlight) return this.takeLease(key);
      await inFlight;
      spent = this.spend(key);
    }
    return spent;
  }

  async peek(key: string): Promise<RateDecision> {
    const window = await this.bucket.read(key);
    const left = this.unexpired(key)?.left ?? 0;
    if (window.count === 0 && left === 0) return { allowed: true, remaining: this.limit, retryAfterSeconds: 0 };
    const remaining = Math.max(0, this.limit - window.count) + left;
    return { allowed: remaining > 0, remaining, retryAfterSeconds: Math.ceil(window.ttlMs / 1000) };
  }

  async reset(key: string): Promise<void> {
    this.leases.delete(key);
    await this.bucket.clear(key);
  }

  async close(): Promise<void> {
    this.leases.clear();
    await this.bucket.close();
  }

  /** Spends one unit of this node's lease on the key, or null when it holds none. */
  private spend(key: string): RateDecision | null {
    const lease = this.unexpired(key);
    if (!lease || lease.left === 0) return null;
    lease.left -= 1;
    if (lease.left === 0) this.leases.delete(key);
    return this.decision(lease);
  }

  /** Takes a new lease from the bucket and spends its first unit on this hit. */
  private async takeLease(key: string): Promise<RateDecision> {
    const sentAt = this.now();
    const taking = this.bucket.take(key, this.lease, this.limit, this.windowMs);
    this.taking.set(key, taking);
    try {
      const grant = await taking;
      // A window without a TTL cannot happen (the bucket opens it with one); assume a full window.
      const expiresAt = sentAt + (grant.ttlMs > 0 ? grant.ttlMs : this.windowMs);
      if (grant.granted === 0) return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((expiresAt - sentAt) / 1000)) };
      const lease: Lease = { left: grant.granted - 1, sharedLeft: Math.max(0, this.limit - grant.count), expiresAt };
      this.sweep(sentAt);
      if (lease.left > 0) this.leases.set(key, lease);
      return this.decision(lease);
    } finally {
      this.taking.delete(key);
    }
  }

  private decision(lease: Lease): RateDecision {
    return { allowed: true, remaining: lease.sharedLeft + lease.left, retryAfterSeconds: Math.max(1, Math.ceil((lease.expiresAt - this.now()) / 1000)) };
  }

  private unexpired(key: string): Lease | undefined {
    const lease = this.leases.get(key);
    if (lease && lease.expiresAt <= this.now()) {
      this.leases.delete(key);
      return undefined;
    }
    return lease;
  }

  /** Drops expired leases at most once per window length, so memory follows the recently active keys. */
  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    for (const [key, lease] of this.leases) if (lease.expiresAt <= now) this.leases.delete(key);
    this.nextSweepAt = now + this.windowMs;
  }
}
