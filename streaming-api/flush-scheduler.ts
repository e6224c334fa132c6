/** FlushScheduler: coalesces every write bound for one socket within an event-loop turn, and flushes sockets in slices. */

/** Something with queued output; `flush` writes all of it with its socket corked. */
export interface Flushable {
  flush(): void;
}

/**
 * Connections mark themselves dirty when they queue output; one setImmediate later (after the
 * current I/O phase, so all bus payloads that arrived together are coalesced) the dirty ones are
 * flushed, `sliceSize` per turn, yielding between slices so that 10 000 sockets do not hold the
 * loop for one long stretch (p99 of everything else on the node).
 */
export class FlushScheduler {
  private dirty = new Set<Flushable>();
  private running = false;

  constructor(
    private readonly sliceSize: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Flushes `target` on a coming turn; marking twice before that flushes once. */
  mark(target: Flushable): void {
    this.dirty.add(target);
    if (!this.running) {
      this.running = true;
      setImmediate(() => this.runBatch());
    }
  }

  private runBatch(): void {
    const batch = [...this.dirty];
    this.dirty.clear();
    this.runSlice(batch, 0);
  }

  private runSlice(batch: Flushable[], start: number): void {
    const end = Math.min(start + this.sliceSize, batch.length);
    for (let i = start; i < end; i++) {
      try {
        batch[i]!.flush();
      } catch (error) {
        // One broken socket must not stop the others' flush.
        this.onError(error);
      }
    }
    if (end < batch.length) setImmediate(() => this.runSlice(batch, end));
    else if (this.dirty.size > 0) setImmediate(() => this.runBatch());
    else this.running = false;
  }
}
