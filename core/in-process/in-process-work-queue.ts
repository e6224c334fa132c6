/** InProcessWorkQueue: the WorkQueue for the embedded single-process mode and unit tests; no I/O, not durable. */
import type { DeadLetter, DeadLetterFailure, QueueEntry, WorkQueue } from '../ports/work-queue';

/** Cursors are fixed-width decimal strings, so plain string comparison orders them. */
const CURSOR_WIDTH = 16;

/**
 * A WorkQueue held in memory: one array per shard, appended in cursor order. Cursors come from
 * one counter per queue, zero-padded to {@link CURSOR_WIDTH} digits, so they increase within
 * a shard and compare correctly as strings (callers should still treat them as opaque).
 */
export class InProcessWorkQueue implements WorkQueue {
  private readonly shards = new Map<number, QueueEntry[]>();
  /** Blocked readers by the shard they wait on, each woken (and removed) by the next append to one of its shards, or by close. */
  private readonly waiters = new Map<number, Set<() => void>>();
  /** Dead letters in the order they were set aside; ids come from the same counter as cursors. */
  private readonly dead: DeadLetter[] = [];
  private sequence = 0;
  private closed = false;

  async append(shard: number, payload: string): Promise<void> {
    if (this.closed) throw new Error('InProcessWorkQueue is closed');
    this.sequence += 1;
    this.entries(shard).push({ cursor: String(this.sequence).padStart(CURSOR_WIDTH, '0'), payload });
    for (const wake of [...(this.waiters.get(shard) ?? [])]) wake();
  }

  /** Returns only the shards that have entries; `blockMs <= 0` never waits. Reads of different shards wait side by side. */
  async read(after: Map<number, string | null>, count: number, blockMs: number, signal?: AbortSignal): Promise<Map<number, QueueEntry[]>> {
    if (after.size === 0) return new Map(); // as Redis: nothing to wait for
    const deadline = Date.now() + blockMs;
    for (;;) {
      const ready = this.collect(after, count);
      const remaining = deadline - Date.now();
      if (ready.size > 0 || remaining <= 0 || this.closed || signal?.aborted) return ready;
      await this.nextAppend([...after.keys()], remaining, signal);
    }
  }

  async release(shard: number, cursor: string): Promise<void> {
    const entries = this.shards.get(shard);
    if (entries) entries.splice(0, firstAfter(entries, cursor));
  }

  async depth(shard: number): Promise<number> {
    return this.shards.get(shard)?.length ?? 0;
  }

  async deadLetter(shard: number, entry: QueueEntry, failure: DeadLetterFailure): Promise<DeadLetter> {
    this.sequence += 1;
    const letter: DeadLetter = { id: `dl-${this.sequence}`, shard, payload: entry.payload, error: failure.error, attempts: failure.attempts, at: new Date().toISOString() };
    this.dead.push(letter);
    return { ...letter };
  }

  async deadLetters(limit: number): Promise<DeadLetter[]> {
    return this.dead.slice(0, Math.max(0, limit)).map((letter) => ({ ...letter }));
  }

  async deadLetterCount(): Promise<number> {
    return this.dead.length;
  }

  async requeueDeadLetter(id: string): Promise<DeadLetter | null> {
    const letter = this.takeDeadLetter(id);
    if (letter) await this.append(letter.shard, letter.payload);
    return letter;
  }

  async dropDeadLetter(id: string): Promise<boolean> {
    return this.takeDeadLetter(id) !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
  }

  private takeDeadLetter(id: string): DeadLetter | null {
    const index = this.dead.findIndex((letter) => letter.id === id);
    return index < 0 ? null : (this.dead.splice(index, 1)[0] as DeadLetter);
  }

  private entries(shard: number): QueueEntry[] {
    let entries = this.shards.get(shard);
    if (!entries) {
      entries = [];
      this.shards.set(shard, entries);
    }
    return entries;
  }

  private collect(after: Map<number, string | null>, count: number): Map<number, QueueEntry[]> {
    const result = new Map<number, QueueEntry[]>();
    for (const [shard, cursor] of after) {
      const entries = this.shards.get(shard);
      if (!entries) continue;
      const start = cursor === null ? 0 : firstAfter(entries, cursor);
      const batch = entries.slice(start, start + count);
      if (batch.length > 0) result.set(shard, batch);
    }
    return result;
  }

  /** Resolves on the next append to one of `shards`, on close, on abort or after `timeoutMs`. */
  private nextAppend(shards: number[], timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        for (const shard of shards) this.waiters.get(shard)?.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      for (const shard of shards) this.shardWaiters(shard).add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  private shardWaiters(shard: number): Set<() => void> {
    let waiters = this.waiters.get(shard);
    if (!waiters) {
      waiters = new Set();
      this.waiters.set(shard, waiters);
    }
    return waiters;
  }

  private wakeAll(): void {
    for (const waiters of [...this.waiters.values()]) for (const wake of [...waiters]) wake();
  }
}

/** Index of the first entry whose cursor is greater than `cursor` (binary search; entries are sorted). */
function firstAfter(entries: QueueEntry[], cursor: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((entries[mid] as QueueEntry).cursor <= cursor) low = mid + 1;
    else high = mid;
  }
  return low;
}
