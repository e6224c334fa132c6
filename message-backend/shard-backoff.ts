/** Per-shard backoff: a shard whose store writes fail for a transient reason waits alone, exponentially, capped. */

export interface ShardBackoffOptions {
  /** First wait after a failure. */
  baseMs: number;
  /** Longest wait, however many failures in a row. */
  maxMs: number;
}

export class ShardBackoff {
  private readonly failures = new Map<number, { count: number; retryAt: number }>();

  constructor(
    private readonly options: ShardBackoffOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one more failure in a row; returns how long the shard now waits. */
  failed(shard: number): number {
    const count = (this.failures.get(shard)?.count ?? 0) + 1;
    const delay = Math.min(this.options.maxMs, this.options.baseMs * 2 ** Math.min(count - 1, 30));
    this.failures.set(shard, { count, retryAt: this.now() + delay });
    return delay;
  }

  /** The shard worked: it is tried at once from now on. */
  succeeded(shard: number): void {
    this.failures.delete(shard);
  }

  /** Whether the shard may be read and written now. */
  ready(shard: number): boolean {
    const state = this.failures.get(shard);
    return !state || state.retryAt <= this.now();
  }

  /** Milliseconds until the first shard still waiting may be tried again; Infinity when none waits. */
  nextRetryIn(): number {
    const now = this.now();
    let next = Number.POSITIVE_INFINITY;
    // Shards whose wait is over are ready: they must not shorten the read's wait to zero.
    for (const { retryAt } of this.failures.values()) if (retryAt > now) next = Math.min(next, retryAt - now);
    return next;
  }

  /** Forgets a shard this worker no longer owns. */
  forget(shard: number): void {
    this.failures.delete(shard);
  }
}
