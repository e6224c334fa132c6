/**
 * Flow tokens (a source's secret, spec §1): how a new one is made, the only form of it a store
 * keeps (a SHA-256 hash) and how a presented token is checked against that hash.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits as 64 hex characters: a hash of it needs no salt or slow KDF to be safe. */
export const newFlowToken = (): string => randomBytes(32).toString('hex');

export const hashFlowToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * What may be a token at all: anything else is refused before a store is asked. Flowdock's own
 * tokens were 32 hex characters and ours are 64; the range leaves room for both.
 */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

export function looksLikeFlowToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN_SHAPE.test(token);
}

/**
 * Whether `token` hashes to `storedHash`, compared in constant time. The store found the row by
 * the hash already; this second check costs nothing and keeps a store that matched loosely (a
 * case-insensitive collation, a prefix index) from ever admitting another token.
 */
export function flowTokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashFlowToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
