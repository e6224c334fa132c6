/** Logging an IRC client in: the credentials PASS and SASL PLAIN carry, checked by the same authenticator (and login guard) as REST. */
import type { AuthenticatedCaller, Authenticator } from '../../core/auth/authenticator';

/** What a client presented: an email and password, or an API token. */
export type IrcCredentials = { email: string; password: string } | { token: string };

/**
 * `PASS <email> <password>`, `PASS <email>:<password>` or `PASS <api token>` (params joined: some
 * clients send the password as a trailing param, spaces and all). Null when empty.
 */
export function credentialsOfPass(params: readonly string[]): IrcCredentials | null {
  const text = params.join(' ').trim();
  if (!text) return null;
  const space = text.indexOf(' ');
  if (space > 0) return { email: text.slice(0, space), password: text.slice(space + 1) };
  // An email never holds ':', so the first one after the '@' ends it.
  const at = text.indexOf('@');
  const colon = text.indexOf(':', at);
  if (at > 0 && colon > at) return { email: text.slice(0, colon), password: text.slice(colon + 1) };
  return { token: text };
}

/** SASL PLAIN (RFC 4616): base64 of `authzid NUL authcid NUL password`; the authcid is the email, or the token with an empty password. */
export function credentialsOfSaslPlain(base64: string): IrcCredentials | null {
  const parts = Buffer.from(base64, 'base64').toString('utf8').split('\u0000');
  if (parts.length !== 3) return null;
  const [, authcid = '', password = ''] = parts;
  if (!authcid) return null;
  return authcid.includes('@') ? { email: authcid, password } : { token: authcid };
}

/** Throws as the REST API does: UNAUTHENTICATED for wrong credentials, RATE_LIMITED while the account or address is locked out. */
export async function logIn(authenticator: Pick<Authenticator, 'authenticate'>, credentials: IrcCredentials, address: string | undefined): Promise<AuthenticatedCaller> {
  if ('token' in credentials) return authenticator.authenticate(undefined, credentials.token, address);
  const header = `Basic ${Buffer.from(`${credentials.email}:${credentials.password}`).toString('base64')}`;
  return authenticator.authenticate(header, undefined, address);
}
