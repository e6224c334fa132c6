/** FlushScheduler: coalesces every write bound for one socket within an event-loop turn, and flushes sockets in slices. */

/** Something with queued output; `flush` writes all of it in one socket write (corked when it is several chunks). */
export interface Flushable {
  /** `now`: the time of this slice (ms epoch), read once for all. */
  flush(now: number): void;
}

/** Something that hands out work at a flush (the hub's per-channel batches): drained before the dirty targets are flushed. */
export interface FlushSource {
  drain(): void;
}

/**
 * Connections mark themselves dirty when they queue output; one setImmediate later (after the
 * current I/O phase, so all bus payloads that arrived together are coalesced) the sources are
 * drained (the hub delivers each channel's batch, marking connections) and the dirty ones are
 * flushed, `sliceSize` per turn, yielding between slices so that 10 000 sockets do not hold the
 * loop for one long stretch (p99 of everything else on the node).
 */
export class FlushScheduler {
  private dirty = new Set<Flushable>();
  private readonly sources: FlushSource[] = [];
  private running = false;
  /** A source has something to drain. */
  private woken = false;

  constructor(
    private readonly sliceSize: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Flushes `target` on a coming turn; marking twice before that flushes once. */
  mark(target: Flushable): void {
    this.dirty.add(target);
    this.start();
  }

  addSource(source: FlushSource): void {
    this.sources.push(source);
  }

  /** A source has work: drain the sources on a coming turn. */
  wake(): void {
    this.woken = true;
    this.start();
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(() => this.runBatch());
  }

  private runBatch(): void {
    if (this.woken) {
      this.woken = false;
      for (const source of this.sources) this.guarded(() => source.drain());
    }
    const batch = [...this.dirty];
    this.dirty.clear();
    this.runSlice(batch, 0);
  }

  private runSlice(batch: Flushable[], start: number): void {
    const end = Math.min(start + this.sliceSize, batch.length);
    const now = Date.now();
    for (let i = start; i < end; i++) {
      try {
        batch[i]!.flush(now);
      } catch (error) {
        this.onError(error);
      }
    }
    if (end < batch.length) setImmediate(() => this.runSlice(batch, end));
    else if (this.dirty.size > 0 || this.woken) setImmediate(() => this.runBatch());
    else this.running = false;
  }

  private guarded(step: () => void): void {
    try {
      step();
    } catch (error) {
      // One broken socket (or member) must not stop the others' flush.
      this.onError(error);
    }
  }
}
