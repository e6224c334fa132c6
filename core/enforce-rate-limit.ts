/** One rate-limit check for every edge: spends one unit of the key's budget, or throws 429 with Retry-After. */
import { AppError } from './errors';
import type { RateDecision, RateLimiter } from './ports/rate-limiter';

export async function enforceRateLimit(limiter: RateLimiter, key: string, onLimited?: () => void): Promise<RateDecision> {
  const decision = await limiter.hit(key);
  if (!decision.allowed) {
    onLimited?.();
    throw new AppError('RATE_LIMITED', `Too many requests; retry in ${decision.retryAfterSeconds} s`, undefined, decision.retryAfterSeconds);
  }
  return decision;
}
