/** Password hashing with Node's built-in scrypt (no native addon to build), in a self-describing format, with bounded concurrency. */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from './errors';
import { Semaphore } from './semaphore';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

/** Options for {@link PasswordHasher}. */
export interface PasswordHasherOptions {
  /** scrypt computations allowed at once; the rest wait their turn. */
  maxConcurrent?: number;
  /** Computations allowed to wait; past that a check is refused with 429 rather than queued for seconds. */
  maxQueued?: number;
  /** scrypt's cost N (a power of two, default 16384). Only tests lower it, to create many accounts quickly. */
  cost?: number;
}

/**
 * Hashes and checks passwords. scrypt runs on libuv's small threadpool, which it shares with the
 * rest of the process: a semaphore keeps password guessing from taking every thread, and a
 * bounded queue keeps a flood from making every login wait. `verify` with no stored hash checks
 * against a dummy one, so that an unknown email costs the same time as a known one.
 */
export class PasswordHasher {
  private readonly semaphore: Semaphore;
  private readonly params: typeof PARAMS;
  private dummy: Promise<string> | null = null;
  /** scrypt computations done by `verify`: tests read it to see that unknown emails pay the same price. */
  verifications = 0;

  constructor(options: PasswordHasherOptions = {}) {
    this.semaphore = new Semaphore(options.maxConcurrent ?? 2, options.maxQueued ?? 64);
    this.params = { ...PARAMS, N: options.cost ?? PARAMS.N };
  }

  /** `scrypt$N$r$p$salt$hash`, base64 parts: the parameters travel with the hash so they can be raised later. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.limited(() => scrypt(password, salt, KEY_LENGTH, this.params));
    const { N, r, p } = this.params;
    return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
  }

  /** True when `password` matches `encoded`; with `encoded` null (no such account) always false, after the same work. */
  async verify(password: string, encoded: string | null): Promise<boolean> {
    const known = encoded !== null;
    const [scheme, n, r, p, salt, hash] = (encoded ?? (await this.dummyHash())).split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64');
    const key = await this.limited(() => scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) }));
    this.verifications += 1;
    return timingSafeEqual(key, expected) && known;
  }

  /**
   * A hash of a random password with the current parameters, made once. Made again after a failure
   * (refused under a flood): kept, the refusal would answer every unknown email 429 for good.
   */
  private dummyHash(): Promise<string> {
    this.dummy ??= this.hash(randomBytes(16).toString('hex')).catch((err: unknown) => {
      this.dummy = null;
      throw err;
    });
    return this.dummy;
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.semaphore.enter();
    if (!turn) throw new AppError('RATE_LIMITED', 'Too many password checks in progress; retry shortly', undefined, 1);
    await turn;
    try {
      return await work();
    } finally {
      this.semaphore.release();
    }
  }
}
