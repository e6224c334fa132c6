/** Tells a Redis outage (unreachable, stopped, mid-failover) from a bug, and turns it into UNAVAILABLE (503, Retry-After). */
import { unavailable } from '../../core/errors';

/** Replies a Redis gives while it cannot serve us now: loading a dump, a replica (mid-failover), busy, stopped writes. */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|NOREPLICAS|MISCONF|UNBLOCKED)\b/;
/** ioredis's own words for a command it gave up on. */
const CLIENT_GAVE_UP = new Set(['Command timed out', 'Connection is closed.', "Stream isn't writeable and enableOfflineQueue options is false"]);
/** Socket errors: the server or the way to it is gone. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

interface RedisError extends Error {
  code?: string;
  /** Set by ioredis on EXECABORT: why each queued command of the MULTI was refused. */
  previousErrors?: unknown[];
}

/** True when `error` says Redis could not serve the command now, rather than that the command was wrong. */
export function isRedisOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as RedisError;
  if (e.name === 'MaxRetriesPerRequestError' || e.name === 'AbortError') return true;
  if (CLIENT_GAVE_UP.has(e.message) || (e.code !== undefined && NETWORK_CODES.has(e.code))) return true;
  if (TRANSIENT_REPLY.test(e.message)) return true;
  // A MULTI refused because its commands were (READONLY on a demoted master, LOADING on a restarted one).
  if (e.message.startsWith('EXECABORT')) return (e.previousErrors ?? []).every(isRedisOutage);
  return false;
}

/** `error` as UNAVAILABLE naming Redis when it is an outage; anything else unchanged (a bug stays a 500). */
export function asRedisFailure(error: unknown): unknown {
  return isRedisOutage(error) ? unavailable('Redis') : error;
}

/** Awaits `work`, turning a Redis outage into UNAVAILABLE: every adapter method that reaches an edge goes through this. */
export async function onRedis<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw asRedisFailure(error);
  }
}
