/**
 * Checking password and session connections again after a bus gap (docs/security.md): the
 * announcement of a changed password may have been lost while the bus reconnected, so each such
 * connection is checked against the database — its app session must still be live and its user's
 * password still the version it matched — and closed with "credentials changed" if not. Connections
 * opened with an API token are not affected by a password change and are not checked.
 */
import { endsWithPasswordChange } from '../core/auth/authenticator';
import type { Connection } from './connection';
import type { StreamingContext } from './streaming-context';

/**
 * Checks `connections` (the node's open ones after a gap, or one opening just after it); resolves
 * with how many it closed. Never rejects, as its callers do not wait for it: a check the database
 * could not answer is logged and leaves its connection open, as one the gap did not touch.
 */
export async function recheckLogins(ctx: StreamingContext, connections: Iterable<Connection>): Promise<number> {
  const { directory, log } = ctx.deps;
  let failure: unknown = null;
  const versions = new Map<number, Promise<number | null>>();
  const sessions = new Map<string, Promise<number | null>>();
  const checks: Promise<boolean>[] = [];
  for (const connection of connections) {
    const { login, loginProof, user } = connection;
    if (connection.isClosed || !login || !endsWithPasswordChange(login)) continue;
    // One query per user and per session, however many connections share it.
    const stillValid =
      login === 'session'
        ? once(sessions, String(loginProof), async (secret) => (await directory.sessions.authenticateSession(secret))?.id ?? null).then((id) => id === user.id)
        : once(versions, user.id, (id) => directory.passwordVersionOf(id)).then((version) => version === loginProof);
    checks.push(
      stillValid.then(
        (valid) => {
          if (valid || connection.isClosed) return false;
          connection.close('credentials changed');
          return true;
        },
        (err: unknown) => {
          failure = err;
          return false;
        },
      ),
    );
  }
  const closed = (await Promise.all(checks)).filter(Boolean).length;
  if (closed > 0) log.info({ connections: closed }, 'closed connections whose password changed during a bus gap');
  if (failure) log.error({ err: failure }, 'could not check logins again after a bus gap: the database did not answer; those connections stay open');
  return closed;
}

function once<K, V>(cache: Map<K, Promise<V>>, key: K, read: (key: K) => Promise<V>): Promise<V> {
  let value = cache.get(key);
  if (!value) {
    value = read(key);
    cache.set(key, value);
  }
  return value;
}
