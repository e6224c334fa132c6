/**
 * Wakeup: lets the shard worker's loop wait (a blocking queue read, or a pause) and be woken at
 * once when a shard's pipeline ends and the shard must join the next read (ADR 031).
 */
export class Wakeup {
  private controller = new AbortController();

  /**
   * Starts a round of the loop: every wake from now on ends this round's waits. Taken *before*
   * the loop looks at which shards are ready, so a wake that comes in between is not lost.
   */
  round(): AbortSignal {
    this.controller = new AbortController();
    return this.controller.signal;
  }

  wake(): void {
    this.controller.abort();
  }
}

/** Waits `ms`, or less if `signal` is aborted. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
