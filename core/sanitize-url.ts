/** Removes secrets from a URL before it is logged: `access_token`, `token`, `password` and the like in the query, and the tokens some paths carry. */

/** Query parameter names whose values are credentials (compared case-insensitively, after decoding). */
export const SECRET_PARAMS = new Set(['access_token', 'token', 'password', 'api_token', 'api_key', 'apikey', 'secret']);

/** `scheme://user:password@host`: the userinfo part of an absolute URL. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i;

/**
 * Paths whose last segment is a secret (an optional origin first): invitation and join links, signed
 * unsubscribe links, and the v1 push API's flow tokens.
 */
const SECRET_PATHS = [
  /^((?:[a-z][a-z0-9+.-]*:\/\/[^/?#]*)?(?:\/flows\/[^/?#]+\/[^/?#]+)?\/join\/)[^/?#]+/i,
  /^((?:[a-z][a-z0-9+.-]*:\/\/[^/?#]*)?\/unsubscribe\/)[^/?#]+/i,
  /^((?:[a-z][a-z0-9+.-]*:\/\/[^/?#]*)?\/v1\/messages\/(?:team_inbox|chat)\/)[^/?#]+/i,
];

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** The URL with every secret value replaced by `[REDACTED]`; everything else is kept as sent, for debugging. */
export function sanitizeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const withoutUser = SECRET_PATHS.reduce((u, path) => u.replace(path, '$1[REDACTED]'), url.replace(USERINFO, '$1[REDACTED]@'));
  const queryAt = withoutUser.indexOf('?');
  if (queryAt < 0) return withoutUser;
  const hashAt = withoutUser.indexOf('#', queryAt);
  const end = hashAt < 0 ? withoutUser.length : hashAt;
  const query = withoutUser
    .slice(queryAt + 1, end)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAMS.has(decodedName(name)) ? `${name}=[REDACTED]` : pair;
    })
    .join('&');
  return `${withoutUser.slice(0, queryAt + 1)}${query}${withoutUser.slice(end)}`;
}
