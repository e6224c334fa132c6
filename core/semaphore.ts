/** Semaphore: at most N holders at once, a bounded FIFO queue of waiters behind them. */

export class Semaphore {
  private holders = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly maxHolders: number,
    private readonly maxWaiting: number,
  ) {}

  /**
   * Asks for a turn: resolves when it is the caller's (who must then `release()`), or returns
   * null at once when the queue is full, so that the caller can refuse instead of piling up.
   */
  enter(): Promise<void> | null {
    if (this.holders < this.maxHolders) {
      this.holders += 1;
      return Promise.resolve();
    }
    if (this.waiters.length >= this.maxWaiting) return null;
    // The releasing holder hands its turn straight to the next waiter: `holders` stays the same.
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.holders -= 1;
  }

  /** Holders and waiters, for tests and metrics. */
  get load(): { holders: number; waiting: number } {
    return { holders: this.holders, waiting: this.waiters.length };
  }
}
