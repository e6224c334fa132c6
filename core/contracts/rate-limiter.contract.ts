/** The RateLimiter contract suite: every RateLimiter implementation runs it (in-process and Redis). */
import { randomBytes } from 'node:crypto';
import type { RateLimiter } from '../ports/rate-limiter';

/** The window a limiter under test is built with. */
export interface RateLimiterSettings {
  limit: number;
  windowSeconds: number;
  /** Units taken from the shared count at once (default 1). */
  lease?: number;
}

/** What a test gets: nodes made by one harness share their counts, as processes on one Redis do. */
export interface RateLimiterHarness {
  node(settings: RateLimiterSettings): Promise<RateLimiter>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Defines the RateLimiter contract tests. `make` returns a fresh harness per test; keys are random
 * per test. Two tests wait out a 1 s window on the real clock.
 */
export function rateLimiterContract(name: string, make: () => Promise<RateLimiterHarness>): void {
  describe(`${name} (RateLimiter contract)`, () => {
    let made: RateLimiter[] = [];
    let harness: RateLimiterHarness;
    const open = async (settings: RateLimiterSettings): Promise<RateLimiter> => {
      const limiter = await harness.node(settings);
      made.push(limiter);
      return limiter;
    };
    const key = (): string => `k-${randomBytes(4).toString('hex')}`;
    const allowedOf = async (hits: Promise<{ allowed: boolean }>[]): Promise<number> => (await Promise.all(hits)).filter((d) => d.allowed).length;

    beforeEach(async () => {
      harness = await make();
    });
    afterEach(async () => {
      await Promise.all(made.map((l) => l.close()));
      made = [];
    });

    it('allows `limit` hits per window, counting down, then refuses with a retry delay', async () => {
      const limiter = await open({ limit: 3, windowSeconds: 60 });
      const k = key();
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push(await limiter.hit(k));
      expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
      const refused = decisions[3]?.retryAfterSeconds ?? 0;
      expect(refused).toBeGreaterThanOrEqual(1);
      expect(refused).toBeLessThanOrEqual(60);
    });

    it('counts keys separately', async () => {
      const limiter = await open({ limit: 1, windowSeconds: 60 });
      const [a, b] = [key(), key()];
      expect((await limiter.hit(a)).allowed).toBe(true);
      expect((await limiter.hit(a)).allowed).toBe(false);
      expect((await limiter.hit(b)).allowed).toBe(true);
    });

    it('peek reports the state without spending, and reset clears the key', async () => {
      const limiter = await open({ limit: 2, windowSeconds: 60 });
      const k = key();
      expect(await limiter.peek(k)).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
      await limiter.hit(k);
      expect(await limiter.peek(k)).toMatchObject({ allowed: true, remaining: 1 });
      expect(await limiter.peek(k)).toMatchObject({ allowed: true, remaining: 1 });
      await limiter.hit(k);
      const locked = await limiter.peek(k);
      expect(locked).toMatchObject({ allowed: false, remaining: 0 });
      expect(locked.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(locked.retryAfterSeconds).toBeLessThanOrEqual(60);
      await limiter.reset(k);
      expect(await limiter.peek(k)).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
      expect(await limiter.hit(k)).toMatchObject({ allowed: true, remaining: 1 });
    });

    it('opens a new window once the old one has passed', async () => {
      const limiter = await open({ limit: 1, windowSeconds: 1 });
      const k = key();
      await limiter.hit(k);
      expect((await limiter.hit(k)).allowed).toBe(false);
      await sleep(1100);
      expect(await limiter.hit(k)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 1 });
      expect((await limiter.peek(k)).allowed).toBe(false);
      await sleep(1100);
      expect((await limiter.peek(k)).allowed).toBe(true);
    });

    it('with lease 1, nodes sharing the count admit exactly the limit between them', async () => {
      const [a, b] = [await open({ limit: 5, windowSeconds: 60 }), await open({ limit: 5, windowSeconds: 60 })];
      const k = key();
      const decisions = [];
      for (let i = 0; i < 8; i++) decisions.push(await (i % 2 ? b : a).hit(k));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false, false, false]);
      expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0, 0]);
    });

    it('takes a lease of k units from the shared count at once and spends it locally', async () => {
      const settings = { limit: 64, windowSeconds: 60, lease: 4 };
      const [a, b] = [await open(settings), await open(settings)];
      const k = key();
      expect(await a.hit(k)).toMatchObject({ allowed: true, remaining: 63 });
      // The other node sees the whole lease taken; the holder counts its unspent units as its own.
      expect(await b.peek(k)).toMatchObject({ allowed: true, remaining: 60 });
      expect(await a.peek(k)).toMatchObject({ allowed: true, remaining: 63 });
      for (const remaining of [62, 61, 60]) expect(await a.hit(k)).toMatchObject({ allowed: true, remaining });
      expect((await b.peek(k)).remaining).toBe(60);
      await a.hit(k);
      expect((await b.peek(k)).remaining).toBe(56);
    });

    it('concurrent hits on one node wait for one lease instead of each taking one', async () => {
      const settings = { limit: 64, windowSeconds: 60, lease: 4 };
      const [a, b] = [await open(settings), await open(settings)];
      const k = key();
      const decisions = await Promise.all([a.hit(k), a.hit(k), a.hit(k), a.hit(k)]);
      expect(decisions.map((d) => d.remaining).sort((x, y) => y - x)).toEqual([63, 62, 61, 60]);
      expect((await b.peek(k)).remaining).toBe(60);
    });

    it('with leases, nodes sharing the count admit no more than limit + nodes×(k−1) and no fewer than limit − nodes×(k−1)', async () => {
      const [limit, lease, nodes] = [40, 4, 3];
      const all = await Promise.all(Array.from({ length: nodes }, () => open({ limit, windowSeconds: 60, lease })));
      const k = key();
      // Bursts in parallel on every node, until every node is refused.
      let allowed = 0;
      for (let round = 0; round < 10; round++) allowed += await allowedOf(all.flatMap((node) => [node.hit(k), node.hit(k), node.hit(k)]));
      expect(allowed).toBeLessThanOrEqual(limit + nodes * (lease - 1));
      expect(allowed).toBeGreaterThanOrEqual(limit - nodes * (lease - 1));
      for (const node of all) expect((await node.hit(k)).allowed).toBe(false);
    });

    it('leased units expire with the window: a new window starts full for every node', async () => {
      const settings = { limit: 4, windowSeconds: 1, lease: 2 };
      const [a, b] = [await open(settings), await open(settings)];
      const k = key();
      expect(await allowedOf([a.hit(k), b.hit(k), b.hit(k)])).toBe(3);
      expect((await b.hit(k)).allowed).toBe(false); // a holds the last unit, unspent
      expect((await a.hit(k)).allowed).toBe(true);
      expect((await a.hit(k)).allowed).toBe(false);
      await sleep(1100);
      expect(await a.peek(k)).toEqual({ allowed: true, remaining: 4, retryAfterSeconds: 0 });
      expect(await a.hit(k)).toMatchObject({ allowed: true, remaining: 3 });
      expect(await b.peek(k)).toMatchObject({ allowed: true, remaining: 2 });
    });

    it('reset drops the resetting node’s own lease with the shared count', async () => {
      const limiter = await open({ limit: 64, windowSeconds: 60, lease: 8 });
      const k = key();
      await limiter.hit(k);
      await limiter.reset(k);
      expect(await limiter.peek(k)).toEqual({ allowed: true, remaining: 64, retryAfterSeconds: 0 });
      expect(await limiter.hit(k)).toMatchObject({ allowed: true, remaining: 63 });
    });
  });
}
