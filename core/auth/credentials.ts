/** Reads the credentials of a request the ways the spec allows (§1): Basic, Bearer, `access_token`. */
import { unauthenticated } from '../errors';

export type Credentials = { kind: 'password'; email: string; password: string } | { kind: 'token'; token: string };

/**
 * Throws UNAUTHENTICATED for credentials no account can have (NUL inside).
 * Basic with an email is email/password; Basic with anything else is an API token as the user name
 * (the password is ignored: the node client sends "undefined", the Ruby gem an empty one).
 */
export function readCredentials(authorization: string | undefined, accessToken: string | undefined): Credentials | null {
  const credentials = parse(authorization, accessToken);
  // NUL can be sent (base64 or %00) but never stored or matched: refuse it here, before any lookup.
  if (credentials && Object.values(credentials).some((part) => part.includes('\u0000'))) throw unauthenticated('Malformed credentials');
  return credentials;
}

function parse(authorization: string | undefined, accessToken: string | undefined): Credentials | null {
  if (authorization) {
    const [scheme, value = ''] = authorization.split(' ', 2);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon < 0 ? decoded : decoded.slice(0, colon);
      const password = colon < 0 ? '' : decoded.slice(colon + 1);
      if (!user) return null;
      return user.includes('@') ? { kind: 'password', email: user, password } : { kind: 'token', token: user };
    }
    if (scheme?.toLowerCase() === 'bearer' && value.trim()) return { kind: 'token', token: value.trim() };
    return null;
  }
  return accessToken ? { kind: 'token', token: accessToken } : null;
}
