/** The lease size rule, and leases ending with their window on an injected clock (the contract suite covers the rest). */
import { InProcessRateBuckets, InProcessRateLimiter } from './in-process/in-process-rate-limiter';
import { leaseSizeFor } from './leased-rate-limiter';

it('leases limit/64 units, at least 1 and at most 16', () => {
  expect([1, 63, 64, 200, 640, 1024, 1200, 1_000_000].map(leaseSizeFor)).toEqual([1, 1, 1, 3, 10, 16, 16, 16]);
});

it('drops a lease’s unspent units when its window ends, without carrying them into the next', async () => {
  let now = 1_000_000;
  const clock = () => now;
  const buckets = new InProcessRateBuckets(clock);
  const [a, b] = [0, 1].map(() => new InProcessRateLimiter({ limit: 8, windowSeconds: 60, lease: 4, now: clock, buckets }));
  expect(await a!.hit('k')).toEqual({ allowed: true, remaining: 7, retryAfterSeconds: 60 });
  for (let i = 0; i < 4; i++) await b!.hit('k');
  expect((await b!.hit('k')).allowed).toBe(false); // a holds the last 3 units
  now += 59_999;
  expect(await a!.hit('k')).toMatchObject({ allowed: true, retryAfterSeconds: 1 });
  now += 1;
  // The window is over: a's 2 unspent units are gone, and the new window starts full.
  expect(await a!.peek('k')).toEqual({ allowed: true, remaining: 8, retryAfterSeconds: 0 });
  expect(await b!.hit('k')).toMatchObject({ allowed: true, remaining: 7 });
  expect((await a!.peek('k')).remaining).toBe(4);
});
