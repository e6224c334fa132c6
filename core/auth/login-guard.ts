/** LoginGuard: limits failed password logins per account and per client address, with a lock that expires. */
import { AppError } from '../errors';
import type { RateLimiter } from '../ports/rate-limiter';

/** The two failure budgets: one per account (email), one per client address. */
export interface LoginGuardLimiters {
  /** Failures allowed per email per window; the window is also the lock's length. */
  perAccount: RateLimiter;
  /** Failures allowed per client address per window (one address guessing many accounts). */
  perAddress: RateLimiter;
}

/**
 * Checked before any password is verified, so a locked account or address costs no scrypt at
 * all. Only failures count; a success clears the account's failures (not the address's, or
 * one valid account would let its owner guess others from the same address).
 */
export class LoginGuard {
  constructor(private readonly limiters: LoginGuardLimiters) {}

  /** Throws RATE_LIMITED (429, Retry-After: the time left on the lock) when either budget is spent. */
  async assertOpen(email: string, address: string | undefined): Promise<void> {
    const checks = [this.limiters.perAccount.peek(accountKey(email))];
    if (address) checks.push(this.limiters.perAddress.peek(addressKey(address)));
    const locked = (await Promise.all(checks)).filter((d) => !d.allowed);
    if (locked.length === 0) return;
    const retryAfter = Math.max(...locked.map((d) => d.retryAfterSeconds), 1);
    throw new AppError('RATE_LIMITED', `Too many failed logins; retry in ${retryAfter} s`, undefined, retryAfter);
  }

  async recordFailure(email: string, address: string | undefined): Promise<void> {
    await Promise.all([this.limiters.perAccount.hit(accountKey(email)), ...(address ? [this.limiters.perAddress.hit(addressKey(address))] : [])]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.limiters.perAccount.reset(accountKey(email));
  }
}

const accountKey = (email: string): string => `login-fail:email:${email.toLowerCase()}`;
const addressKey = (address: string): string => `login-fail:addr:${address}`;
