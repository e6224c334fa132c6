/**
 * Credential changes through Postgres, for a server without a shared bus (embedded mode, or
 * DATABASE_URL without Redis): its bus is in-process, which the `tributary user` commands (another
 * process) cannot reach, but they open the same database. The command NOTIFYs; the server LISTENs and
 * announces the change on its own bus, where the authenticator and the streaming nodes follow it as
 * in full mode (core/access/revocation.ts, docs/security.md).
 */
import { Client, type Pool } from 'pg';
import { announceCredentialsChanged } from '../../core/access/revocation';
import type { Log } from '../../core/log';
import type { Bus } from '../../core/ports/bus';

const CHANNEL = 'tributary_credentials_changed';

/** Tells a server listening on the database that `userId`'s password changed. */
export async function notifyCredentialsChanged(pool: Pool, userId: number): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, String(userId)]);
}

/** Announces every change notified on the database on `bus`; resolves once listening (nothing notified afterwards is missed). */
export async function relayCredentialChanges(url: string, bus: Bus, log: Log): Promise<{ close(): Promise<void> }> {
  const client = new Client({ connectionString: url, application_name: 'tributary-credential-changes' });
  client.on('error', (err) => log.warn({ err }, 'the credential-changes listener lost its connection'));
  client.on('notification', ({ channel, payload }) => {
    const userId = Number(payload);
    if (channel !== CHANNEL || !Number.isSafeInteger(userId)) return log.warn({ channel }, 'dropped a malformed credentials change');
    announceCredentialsChanged(bus, userId).catch((err: unknown) => log.error({ err, user: userId }, 'announcing a credentials change failed'));
  });
  await client.connect();
  await client.query(`LISTEN ${CHANNEL}`);
  return { close: () => client.end() };
}
