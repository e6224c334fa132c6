/** The session cookie on the wire: reading it from a Cookie header, and the Set-Cookie that sets or clears it. */
import { SESSION_COOKIE } from './sessions';

/** The session secret in a Cookie header, or undefined. A value that is not a plausible secret is ignored. */
export function readSessionCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(eq + 1).trim();
    // Our secrets are base64url; anything else (a tampered or foreign cookie) is no session.
    if (/^[A-Za-z0-9_-]{20,100}$/.test(value)) return value;
  }
  return undefined;
}

export interface CookieOptions {
  /** Sent over TLS (directly or behind a proxy that says so): the browser must never send it in clear. */
  secure: boolean;
}

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page or link sends it; the app's
 * HTML needs no session, so a link from elsewhere still opens it and its own requests carry the
 * cookie), Path=/ (the REST API, the WebSocket and the app share it).
 */
export function sessionSetCookie(token: string, maxAgeMs: number, options: CookieOptions): string {
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.floor(maxAgeMs / 1000)}`, ...(options.secure ? ['Secure'] : [])].join('; ');
}

/** Tells the browser to drop the cookie (logout). */
export function clearedSessionCookie(options: CookieOptions): string {
  return sessionSetCookie('', 0, options);
}
