/**
 * Session secrets: how a new one is made, the only form a store keeps (a hash), and the CSRF
 * token derived from it (docs/adr/014-app-sessions.md). Pure; no I/O.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type AppError, unauthenticated, validationError } from '../errors';

/** The cookie that carries the session secret. */
export const SESSION_COOKIE = 'tributary_session';

/** The header a cookie-authenticated request that changes state must carry its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** How long a session lasts from login (absolute: a stolen cookie is not kept alive by use). */
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** A new session secret: 32 random bytes, base64url (43 characters). */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

/** What a store keeps and looks sessions up by: a stolen table gives no usable cookie. */
export const hashSessionToken = (token: string): string => createHash('sha256').update(`session:${token}`).digest('hex');

/**
 * The session's CSRF token: derived from the secret, so nothing more is stored, and only a holder
 * of the secret (the server, or the page it was handed to over a same-origin response) knows it.
 */
export const csrfTokenOf = (token: string): string => createHash('sha256').update(`csrf:${token}`).digest('base64url');

/** Compares a presented CSRF token with the session's in constant time. */
export function csrfTokenMatches(token: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenOf(token));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A session must last some time; 0 or less is a caller's bug, named. */
export function requirePositiveTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw validationError({ ttl: ['must be a positive number of milliseconds'] });
}

/** A login whose password changed between its check and its session's start: it must log in with the new one. */
export const passwordChangedMeanwhile = (): AppError => unauthenticated('Your password changed while you logged in: log in again');
