/** The outbox sender's backoff: doubling from MAIL_RETRY_MIN_S, capped at MAIL_RETRY_MAX_S. */
import { retryDelayMs } from './outbox-sender';

it('doubles the wait after each failed attempt up to the cap', () => {
  const s = { retryMinMs: 30_000, retryMaxMs: 3_600_000 };
  expect([1, 2, 3, 4].map((n) => retryDelayMs(s, n))).toEqual([30_000, 60_000, 120_000, 240_000]);
  expect(retryDelayMs(s, 12)).toBe(3_600_000);
});
