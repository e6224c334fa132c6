/**
 * The one place that decides what a failed store write means for the shard worker: the lease is
 * gone (stop writing), the store is briefly unreachable (back off and retry the same entries), or
 * the entries themselves cannot be stored (isolate them; a retry cannot fix it).
 */
import { FencedOffError } from '../core/errors';

export type WriteFailure = 'fenced' | 'transient' | 'permanent';

/** Postgres SQLSTATEs (classes or codes) that a later retry can succeed after. */
const TRANSIENT_SQLSTATE = [
  '08', // connection exception
  '53', // insufficient resources (too many connections, out of memory, disk full)
  '57P01', '57P02', '57P03', // admin/crash shutdown, cannot connect now (a restart or failover)
  '57014', // statement timeout
  '55P03', // lock not available (lock_timeout)
  '40001', '40P01', // serialization failure, deadlock
];

/** Socket errors: the store's server is unreachable or went away mid-call. */
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * node-postgres reports a lost or unobtainable connection without a code, by message only. A
 * prepared statement whose result type a migration changed fails once per connection, then is
 * prepared again (ADR 033): retrying it is right.
 */
const TRANSIENT_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Connection refused|cached plan must not change result type/i;

interface ErrorShape {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  hasErrorLabel?: (label: string) => boolean;
}

/**
 * Classifies an error thrown while building or writing a batch. Anything not known to be
 * transient counts as permanent: the batch is then split to find the entries at fault, and an
 * entry that keeps failing is set aside, so an unknown error can delay a shard but never stall it.
 */
export function classifyWriteFailure(err: unknown): WriteFailure {
  if (err instanceof FencedOffError) return 'fenced';
  const e = (err ?? {}) as ErrorShape;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code && TRANSIENT_SQLSTATE.some((prefix) => code.startsWith(prefix))) return 'transient';
  if (TRANSIENT_ERRNO.has(code)) return 'transient';
  const name = typeof e.name === 'string' ? e.name : '';
  if (name.startsWith('MongoNetwork') || name === 'MongoServerSelectionError' || name === 'MongoNotConnectedError') return 'transient';
  if (typeof e.hasErrorLabel === 'function' && (e.hasErrorLabel('RetryableWriteError') || e.hasErrorLabel('TransientTransactionError'))) return 'transient';
  if (typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message)) return 'transient';
  return 'permanent';
}

/** A short description of an error for logs and dead letters: never the batch's content. */
export function describeWriteError(err: unknown): string {
  const e = (err ?? {}) as ErrorShape;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const code = typeof e.code === 'string' ? ` (${e.code})` : '';
  return `${message.slice(0, 500)}${code}`;
}
