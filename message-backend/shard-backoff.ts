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

  /** Milliseconds until the shard may be read and written again; 0 when it may be now. */
  retryIn(shard: number): number {
    const state = this.failures.get(shard);
    return state ? Math.max(0, state.retryAt - this.now()) : 0;
  }

  /** Forgets a shard this worker no longer owns. */
  forget(shard: number): void {
    this.failures.delete(shard);
  }
}
