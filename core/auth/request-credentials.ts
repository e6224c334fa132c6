/** What a request presents to authenticate, read once from its headers for every transport (REST, HTTP stream, WebSocket). */
import type { IncomingHttpHeaders } from 'node:http';
import type { CookieRequestKind } from './cookie-request-policy';
import { readSessionCookie } from './session-cookie';
import { CSRF_HEADER } from './sessions';

export interface RequestCredentials {
  authorization: string | undefined;
  /** The `access_token` query parameter. */
  accessToken: string | undefined;
  /** The session secret from the cookie, if any. */
  sessionToken: string | undefined;
  kind: CookieRequestKind;
  origin: string | undefined;
  host: string | undefined;
  csrfToken: string | undefined;
  fetchSite: string | undefined;
  /** For the failed-login limits per address. */
  clientAddress: string | undefined;
}

/** Whether the request presents a user's credentials at all (header, `access_token` or session cookie), valid or not. */
export function presentsUserCredentials(c: RequestCredentials): boolean {
  return !!(c.authorization || c.accessToken || c.sessionToken);
}

const one = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export function requestCredentials(
  headers: IncomingHttpHeaders,
  request: { accessToken: string | undefined; clientAddress: string | undefined; kind: CookieRequestKind },
): RequestCredentials {
  return {
    authorization: headers.authorization,
    sessionToken: readSessionCookie(headers.cookie),
    origin: headers.origin,
    host: headers.host,
    csrfToken: one(headers[CSRF_HEADER]),
    fetchSite: one(headers['sec-fetch-site']),
    ...request,
  };
}
