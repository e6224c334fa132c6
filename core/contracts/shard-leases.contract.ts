/** The behaviours every ShardLeases implementation must have: one owner per shard, growing fencing tokens, loss reported. */
import type { ShardLeases } from '../ports/shard-lease';

/** What an implementation's test file hands the contract. */
export interface ShardLeasesHarness {
  /** A new worker's leases, contending with every other worker of this harness. */
  worker(): Promise<ShardLeases>;
  /** The shard's token where the message store reads it (null: never leased). */
  storedToken(shard: number): Promise<number | null>;
  /** Ends the connection of `worker` (which holds `shard`) to the lock holder, as a crash or network cut would. */
  loseConnection(worker: ShardLeases, shard: number): Promise<void>;
  teardown(): Promise<void>;
}

export function shardLeasesContract(name: string, make: () => Promise<ShardLeasesHarness>): void {
  describe(`ShardLeases contract: ${name}`, () => {
    let h: ShardLeasesHarness;
    const workers: ShardLeases[] = [];
    const worker = async (): Promise<ShardLeases> => {
      const w = await h.worker();
      workers.push(w);
      return w;
    };
    let nextShard = 100;
    /** A shard no other test uses. */
    const shard = (): number => nextShard++;

    beforeAll(async () => {
      h = await make();
    });
    afterAll(async () => {
      for (const w of workers) await w.close();
      await h?.teardown();
    });

    it('gives a shard to one worker at a time, with a token recorded where the store reads it', async () => {
      const [a, b] = [await worker(), await worker()];
      const s = shard();
      expect(await h.storedToken(s)).toBeNull();
      const lease = await a.tryAcquire(s);
      expect(lease).toEqual({ shard: s, token: expect.any(Number) });
      expect(await h.storedToken(s)).toBe(lease!.token);
      expect(await b.tryAcquire(s)).toBeNull();
      expect(await b.tryAcquire(shard())).not.toBeNull();
    });

    it('hands a released shard to the next worker under a higher token', async () => {
      const [a, b] = [await worker(), await worker()];
      const s = shard();
      const first = (await a.tryAcquire(s))!;
      await a.release(first);
      const second = await b.tryAcquire(s);
      expect(second!.token).toBeGreaterThan(first.token);
      expect(await h.storedToken(s)).toBe(second!.token);
      await a.release(first); // releasing a lease no longer held changes nothing
      expect(await a.tryAcquire(s)).toBeNull();
    });

    it('frees every shard of a worker that closes', async () => {
      const [a, b] = [await worker(), await worker()];
      const [s1, s2] = [shard(), shard()];
      await a.tryAcquire(s1);
      await a.tryAcquire(s2);
      await a.close();
      expect(await b.tryAcquire(s1)).not.toBeNull();
      expect(await b.tryAcquire(s2)).not.toBeNull();
    });

    it('tells a worker that lost its connection which shards it lost, and frees them', async () => {
      const [a, b] = [await worker(), await worker()];
      const [s1, s2] = [shard(), shard()];
      const lease = (await a.tryAcquire(s1))!;
      await a.tryAcquire(s2);
      const lost: number[] = [];
      const bothLost = new Promise<void>((resolve) => a.onLost((s) => lost.push(s) === 2 && resolve()));
      await h.loseConnection(a, s1);
      await bothLost;
      expect(lost.sort((x, y) => x - y)).toEqual([s1, s2]);
      expect((await b.tryAcquire(s1))!.token).toBeGreaterThan(lease.token);
    });

    it('a shard taken twice by one worker is freed by one release', async () => {
      const [a, b] = [await worker(), await worker()];
      const s = shard();
      const first = (await a.tryAcquire(s))!;
      const again = (await a.tryAcquire(s))!;
      expect(again.token).toBeGreaterThan(first.token);
      await a.release(again);
      expect(await b.tryAcquire(s)).not.toBeNull();
    });

    it('counts the workers taking part, in one order every worker sees; a closed or cut-off worker leaves', async () => {
      const [a, b] = [await worker(), await worker()];
      // Each takes part from its first call on.
      const { self: aId } = await a.workers();
      const { self: bId } = await b.workers();
      expect(aId).not.toBe(bId);
      const [seenByA, seenByB] = [await a.workers(), await b.workers()];
      expect(seenByA.all).toEqual(seenByB.all);
      expect(seenByA.all).toEqual(expect.arrayContaining([aId, bId]));
      const c = await worker();
      const { self: cId } = await c.workers();
      expect((await a.workers()).all).toContain(cId);
      await c.close();
      expect((await a.workers()).all).not.toContain(cId);
      const s = shard();
      await b.tryAcquire(s);
      const lost = new Promise<void>((resolve) => b.onLost(() => resolve()));
      await h.loseConnection(b, s);
      await lost;
      expect((await a.workers()).all).not.toContain(bId);
    });
  });
}
