/** The RateLimiter contract suite: every RateLimiter implementation runs it (in-process and Redis). */
import { randomBytes } from 'node:crypto';
import type { RateLimiter } from '../ports/rate-limiter';

/** The window a limiter under test is built with. */
export interface RateLimiterSettings {
  limit: number;
  windowSeconds: number;
}

/**
 * Defines the RateLimiter contract tests. `make` returns a fresh limiter with the given settings;
 * keys are random per test. One test waits out a 1 s window on the real clock.
 */
export function rateLimiterContract(name: string, make: (settings: RateLimiterSettings) => Promise<RateLimiter>): void {
  describe(`${name} (RateLimiter contract)`, () => {
    let made: RateLimiter[] = [];
    const open = async (settings: RateLimiterSettings): Promise<RateLimiter> => {
      const limiter = await make(settings);
      made.push(limiter);
      return limiter;
    };
    const key = (): string => `k-${randomBytes(4).toString('hex')}`;

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
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await limiter.hit(k)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 1 });
      expect((await limiter.peek(k)).allowed).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await limiter.peek(k)).allowed).toBe(true);
    });
  });
}
