/**
 * Credential changes through Postgres, for a server without a shared bus (embedded mode, or
 * DATABASE_URL without Redis): its bus is in-process, which the `tributary user` commands (another
 * process) cannot reach, but they open the same database. The command NOTIFYs; the server LISTENs and
 * announces the change on its own bus, where the authenticator and the streaming nodes follow it as
 * in full mode (core/access/revocation.ts, docs/security.md). A NOTIFY sent while the listener is
 * disconnected is lost, so the listener reconnects with backoff and then reports a gap, which the
 * bus's gap listeners handle as after a Redis reconnect (every cached login forgotten, every
 * password and session connection checked again).
 */
import { Client, type Pool } from 'pg';
import { announceCredentialsChanged } from '../../core/access/revocation';
import type { Log } from '../../core/log';
import type { Bus } from '../../core/ports/bus';

const CHANNEL = 'tributary_credentials_changed';
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/** Tells a server listening on the database that `userId`'s password changed. */
export async function notifyCredentialsChanged(pool: Pool, userId: number): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, String(userId)]);
}

/**
 * Announces every change notified on the database on `bus`; resolves once listening (nothing
 * notified afterwards is missed while connected). `onGap` runs after each reconnect.
 */
export async function relayCredentialChanges(url: string, bus: Bus, log: Log, onGap: () => void): Promise<{ close(): Promise<void> }> {
  let client: Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let failures = 0;

  const listen = async (): Promise<Client> => {
    const c = new Client({ connectionString: url, application_name: 'tributary-credential-changes' });
    c.on('error', (err) => log.warn({ err }, 'the credential-changes listener lost its connection; reconnecting'));
    c.on('notification', ({ channel, payload }) => {
      const userId = Number(payload);
      if (channel !== CHANNEL || !Number.isSafeInteger(userId)) return log.warn({ channel }, 'dropped a malformed credentials change');
      announceCredentialsChanged(bus, userId).catch((err: unknown) => log.error({ err, user: userId }, 'announcing a credentials change failed'));
    });
    c.on('end', () => {
      if (client === c) reconnectLater();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      await c.end().catch(() => {});
      throw err;
    }
    return c;
  };

  const reconnectLater = (): void => {
    client = null;
    if (closed || retry) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** failures++);
    retry = setTimeout(() => {
      retry = null;
      listen().then(
        (c) => {
          if (closed) return void c.end();
          client = c;
          failures = 0;
          log.info('the credential-changes listener is back; checking every login again');
          onGap();
        },
        (err: unknown) => {
          log.warn({ err, retryInMs: delay }, 'the credential-changes listener could not reconnect');
          reconnectLater();
        },
      );
    }, delay);
    retry.unref();
  };

  client = await listen();
  return {
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end();
    },
  };
}
