/**
 * The rules a request authenticated by the session cookie must also pass (docs/adr/014-app-sessions.md):
 * it comes from the app's own origin, and, when it changes state, carries the session's CSRF token.
 * Requests with an API token or a password never come here: they keep Flowdock's open CORS.
 */
import { forbidden } from '../errors';
import { csrfTokenMatches } from './sessions';

/**
 * `read`: GET/HEAD (an Origin, when sent, must be ours). `write`: any other method (the same, plus
 * the CSRF token). `upgrade`: a WebSocket handshake, which browsers always send an Origin with and
 * which CORS does not guard, so the Origin is required.
 */
export type CookieRequestKind = 'read' | 'write' | 'upgrade';

export interface CookieRequestFacts {
  kind: CookieRequestKind;
  /** The Origin header. */
  origin: string | undefined;
  /** The Host header: the app is served by the host the browser asked. */
  host: string | undefined;
  /** The X-CSRF-Token header. */
  csrfToken: string | undefined;
  /** The Sec-Fetch-Site header browsers send (absent from other clients and old browsers). */
  fetchSite?: string | undefined;
  /** PUBLIC_URL, whose origin is also the app's (behind a proxy that rewrites Host). */
  publicUrl: string | undefined;
}

const HTTP_SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The kind of a REST request by its method. */
export const kindOfMethod = (method: string): CookieRequestKind => (HTTP_SAFE_METHODS.has(method.toUpperCase()) ? 'read' : 'write');

/** True when `origin` is the app's: same host (and port) as the request, or PUBLIC_URL's origin. */
export function isAppOrigin(origin: string, host: string | undefined, publicUrl: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // `null` (a sandboxed frame, a privacy redirect) and garbage are nobody's origin
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (host && url.host.toLowerCase() === host.toLowerCase()) return true;
  return publicUrl !== undefined && url.origin === new URL(publicUrl).origin;
}

/** Throws FORBIDDEN (403) naming the problem unless the request comes from the app's own origin. */
export function assertAppOrigin(facts: CookieRequestFacts): void {
  // A browser says where a request comes from even when it sends no Origin (an <img>, a GET
  // from a page on another port of this host): only the app's own pages, or a URL typed by
  // the user (`none`), may use the cookie.
  if (facts.fetchSite !== undefined && facts.fetchSite !== 'same-origin' && facts.fetchSite !== 'none') {
    throw forbidden(`A ${facts.fetchSite} request may not use the session cookie: only the app's own pages may; other origins authenticate with an API token`);
  }
  if (facts.origin === undefined) {
    if (facts.kind === 'upgrade') throw forbidden('A WebSocket authenticated by the session cookie needs an Origin header: only the app may open it');
  } else if (!isAppOrigin(facts.origin, facts.host, facts.publicUrl)) {
    throw forbidden(`Origin ${facts.origin} may not use the session cookie: only the app's own origin may; other origins authenticate with an API token`);
  }
}

/** Throws FORBIDDEN (403) naming the problem when a request that changes state lacks the session's CSRF token. */
export function assertCsrfToken(sessionToken: string, facts: CookieRequestFacts): void {
  if (facts.kind === 'write' && !csrfTokenMatches(sessionToken, facts.csrfToken)) {
    throw forbidden('CSRF token missing or wrong: send the X-CSRF-Token header with the csrf_token that POST /session or GET /session returned');
  }
}
