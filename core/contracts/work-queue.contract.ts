/** The WorkQueue contract suite: every WorkQueue implementation runs it (in-process and Redis Streams). */
import { randomBytes } from 'node:crypto';
import type { QueueEntry, WorkQueue } from '../ports/work-queue';

/** What the suite needs to know about an implementation. */
export interface WorkQueueContractOptions {
  /** Whether entries outlive the instance (a new instance on the same namespace sees them). */
  durable: boolean;
}

const payloads = (entries: QueueEntry[] | undefined): string[] => (entries ?? []).map((e) => e.payload);

/**
 * Defines the WorkQueue contract tests. `make(namespace)` returns a new queue; every test uses
 * its own namespace, and for a durable queue two instances made with the same namespace must
 * share their entries. The suite closes every queue it made.
 */
export function workQueueContract(
  name: string,
  make: (namespace: string) => Promise<WorkQueue>,
  options: WorkQueueContractOptions,
): void {
  describe(`${name} (WorkQueue contract)`, () => {
    let made: WorkQueue[] = [];
    let namespace: string;
    let queue: WorkQueue;
    const open = async (): Promise<WorkQueue> => {
      const q = await make(namespace);
      made.push(q);
      return q;
    };

    beforeEach(async () => {
      namespace = randomBytes(4).toString('hex');
      queue = await open();
    });
    afterEach(async () => {
      await Promise.all(made.map((q) => q.close()));
      made = [];
    });

    it('reads entries in append order, with increasing cursors', async () => {
      for (const p of ['a', 'b', 'c']) await queue.append(1, p);
      const entries = (await queue.read(new Map([[1, null]]), 10, 0)).get(1) ?? [];
      expect(payloads(entries)).toEqual(['a', 'b', 'c']);
      expect(new Set(entries.map((e) => e.cursor)).size).toBe(3);
    });

    it('reads at most `count` per shard and continues after a cursor', async () => {
      for (const p of ['a', 'b', 'c', 'd', 'e']) await queue.append(1, p);
      const first = (await queue.read(new Map([[1, null]]), 2, 0)).get(1) ?? [];
      expect(payloads(first)).toEqual(['a', 'b']);
      const next = await queue.read(new Map([[1, first[1]?.cursor ?? null]]), 10, 0);
      expect(payloads(next.get(1))).toEqual(['c', 'd', 'e']);
    });

    it('wakes a blocked read when an entry is appended', async () => {
      const blockMs = 5000;
      const started = Date.now();
      const reading = queue.read(new Map([[2, null]]), 10, blockMs);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await queue.append(2, 'late');
      const result = await reading;
      expect(payloads(result.get(2))).toEqual(['late']);
      expect(Date.now() - started).toBeLessThan(blockMs);
    });

    it('returns nothing after blockMs when nothing arrives', async () => {
      await queue.append(3, 'held');
      const held = (await queue.read(new Map([[3, null]]), 10, 0)).get(3) ?? [];
      const started = Date.now();
      const result = await queue.read(new Map([[3, held[0]?.cursor ?? null], [4, null]]), 10, 150);
      // Generous lower bound: proves it waited at all without depending on timer precision.
      expect(Date.now() - started).toBeGreaterThanOrEqual(75);
      for (const entries of result.values()) expect(entries).toEqual([]);
    });

    it('an aborted signal ends a waiting read at once, and the next read waits as before', async () => {
      const blockMs = 10_000;
      for (const abortAfterMs of [0, 50]) {
        const controller = new AbortController();
        const started = Date.now();
        const reading = queue.read(new Map([[16, null]]), 10, blockMs, controller.signal);
        // 0: aborted before the read can have reached the server; 50: while it waits there.
        if (abortAfterMs) await new Promise((resolve) => setTimeout(resolve, abortAfterMs));
        controller.abort();
        const result = await reading;
        // A bound that only tells "woken" from "waited out blockMs".
        expect(Date.now() - started).toBeLessThan(blockMs / 2);
        for (const entries of result.values()) expect(entries).toEqual([]);
      }
      // The wake is spent: a later read (with a signal of its own) waits for an entry.
      const next = new AbortController();
      const started = Date.now();
      expect((await queue.read(new Map([[16, null]]), 10, 150, next.signal)).get(16) ?? []).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(75);
      const reading = queue.read(new Map([[16, null]]), 10, blockMs, next.signal);
      await queue.append(16, 'after the wake');
      expect(payloads((await reading).get(16))).toEqual(['after the wake']);
    });

    it('blocking reads of different shards wait side by side; each ends on its own shard’s entry or its own abort', async () => {
      const blockMs = 10_000;
      const started = Date.now();
      const ended: string[] = [];
      const track = (name: string, reading: Promise<Map<number, QueueEntry[]>>) => reading.then((result) => {
        ended.push(name);
        return result;
      });
      const first = track('first', queue.read(new Map([[17, null]]), 10, blockMs));
      const second = track('second', queue.read(new Map([[18, null]]), 10, blockMs));
      const third = new AbortController();
      const aborted = track('aborted', queue.read(new Map([[19, null]]), 10, blockMs, third.signal));
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The read issued second is answered first: it did not queue behind the first one's wait.
      await queue.append(18, 'for the second');
      expect(payloads((await second).get(18))).toEqual(['for the second']);
      third.abort();
      expect((await aborted).get(19) ?? []).toEqual([]);
      expect(ended).toEqual(['second', 'aborted']); // neither ended the first read
      await queue.append(17, 'for the first');
      expect(payloads((await first).get(17))).toEqual(['for the first']);
      // A bound that only tells "woken" from "waited out blockMs".
      expect(Date.now() - started).toBeLessThan(blockMs / 2);
    });

    it('release drops entries up to and including the cursor, and depth counts what is held', async () => {
      for (const p of ['a', 'b', 'c']) await queue.append(5, p);
      expect(await queue.depth(5)).toBe(3);
      const entries = (await queue.read(new Map([[5, null]]), 10, 0)).get(5) ?? [];
      await queue.release(5, entries[1]?.cursor as string);
      expect(await queue.depth(5)).toBe(1);
      expect(payloads((await queue.read(new Map([[5, null]]), 10, 0)).get(5))).toEqual(['c']);
      expect(await queue.depth(6)).toBe(0);
    });

    it('keeps shards independent', async () => {
      await queue.append(7, 'seven');
      await queue.append(8, 'eight');
      const both = await queue.read(new Map<number, string | null>([[7, null], [8, null], [9, null]]), 10, 0);
      expect(payloads(both.get(7))).toEqual(['seven']);
      expect(payloads(both.get(8))).toEqual(['eight']);
      expect(payloads(both.get(9))).toEqual([]);
      await queue.release(7, both.get(7)?.[0]?.cursor as string);
      expect(await queue.depth(7)).toBe(0);
      expect(await queue.depth(8)).toBe(1);
    });

    it('keeps a dead letter with its shard, payload, error, attempts and time; lists them oldest first', async () => {
      await queue.append(11, 'poison');
      const [entry] = (await queue.read(new Map([[11, null]]), 10, 0)).get(11) ?? [];
      const before = Date.now();
      const letter = await queue.deadLetter(11, entry as QueueEntry, { error: 'store refused it', attempts: 3 });
      await queue.release(11, (entry as QueueEntry).cursor);
      await queue.deadLetter(12, { cursor: 'x', payload: 'second' }, { error: 'also refused', attempts: 1 });
      expect(letter).toMatchObject({ shard: 11, payload: 'poison', error: 'store refused it', attempts: 3 });
      expect(Date.parse(letter.at)).toBeGreaterThanOrEqual(before - 1000);
      const listed = await queue.deadLetters(10);
      expect(listed.map((l) => l.payload)).toEqual(['poison', 'second']);
      expect(listed[0]).toEqual(letter);
      expect((await queue.deadLetters(1)).map((l) => l.payload)).toEqual(['poison']);
      expect(await queue.deadLetterCount()).toBe(2);
      expect(await queue.depth(11)).toBe(0);
    });

    it('requeues a dead letter onto its shard and drops one for good; unknown ids change nothing', async () => {
      const first = await queue.deadLetter(13, { cursor: 'a', payload: 'retry me' }, { error: 'e', attempts: 2 });
      const second = await queue.deadLetter(14, { cursor: 'b', payload: 'forget me' }, { error: 'e', attempts: 2 });
      expect(await queue.requeueDeadLetter(first.id)).toEqual(first);
      expect(payloads((await queue.read(new Map([[13, null]]), 10, 0)).get(13))).toEqual(['retry me']);
      expect(await queue.requeueDeadLetter(first.id)).toBeNull();
      expect(await queue.dropDeadLetter(second.id)).toBe(true);
      expect(await queue.dropDeadLetter(second.id)).toBe(false);
      expect(await queue.dropDeadLetter('no-such-id')).toBe(false);
      expect(await queue.requeueDeadLetter('no-such-id')).toBeNull();
      expect(await queue.deadLetters(10)).toEqual([]);
      expect(await queue.deadLetterCount()).toBe(0);
      expect(await queue.depth(14)).toBe(0);
    });

    // Only durable queues promise this; the in-process queue lives and dies with its process by design.
    if (options.durable) it('keeps unreleased entries for a new instance (crash recovery)', async () => {
      for (const p of ['a', 'b', 'c']) await queue.append(10, p);
      const entries = (await queue.read(new Map([[10, null]]), 10, 0)).get(10) ?? [];
      await queue.release(10, entries[0]?.cursor as string);
      await queue.close();
      const successor = await open();
      expect(payloads((await successor.read(new Map([[10, null]]), 10, 0)).get(10))).toEqual(['b', 'c']);
    });

    if (options.durable) it('keeps dead letters for a new instance', async () => {
      const letter = await queue.deadLetter(15, { cursor: 'c', payload: 'kept' }, { error: 'e', attempts: 1 });
      await queue.close();
      const successor = await open();
      expect(await successor.deadLetters(10)).toEqual([letter]);
    });
  });
}
