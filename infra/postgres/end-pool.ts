/**
 * A pg Pool that can be ended for good: `endPool` waits until each connection the pool held has
 * closed. pg-pool's own `end()` resolves as soon as it has asked its idle clients to end, before
 * their goodbyes reach the server; a Postgres stopped right after (the embedded one, at shutdown)
 * then cuts them with "terminating connection due to administrator command", which the pool
 * reports as an idle client's error.
 */
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { Log } from '../../core/log';

/** How long shutdown waits for the pool (a client never released included) before going on without it. */
const END_WAIT_MS = 2000;

/** The connected clients of each pool made here, as the pool's `connect` and `remove` events tell. */
const clientsOf = new WeakMap<Pool, Set<PoolClient>>();

/**
 * A Pool whose clients are followed, so that endPool knows which to wait for. An idle client's
 * failure (the server restarted, the connection cut) is logged: pg-pool emits it as the pool's
 * `error` event, which would otherwise end the process as an uncaught error.
 */
export function createPool(config: PoolConfig, log: Log): Pool {
  const pool = new Pool(config);
  pool.on('error', (err) => log.warn({ err }, 'idle postgres connection failed'));
  const clients = new Set<PoolClient>();
  pool.on('connect', (client) => clients.add(client));
  pool.on('remove', (client) => clients.delete(client));
  clientsOf.set(pool, clients);
  return pool;
}

/**
 * Ends a pool made by createPool and waits until the connections of the clients it held when called
 * have closed; after `waitMs` it goes on regardless (a client never released keeps pg-pool's end()
 * waiting for ever).
 */
export async function endPool(pool: Pool, waitMs = END_WAIT_MS): Promise<void> {
  const clients = clientsOf.get(pool);
  if (!clients) throw new Error('endPool: the pool was not made by createPool, so its clients are not known');
  // pg-pool emits `remove` once a client's connection has ended.
  const waiting = new Set(clients);
  let removed: (client: PoolClient) => void = () => {};
  const closed = new Promise<void>((resolve) => {
    removed = (client) => {
      waiting.delete(client);
      if (waiting.size === 0) resolve();
    };
    if (waiting.size === 0) resolve();
  });
  pool.on('remove', removed);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, waitMs);
  });
  try {
    await Promise.race([Promise.all([pool.end(), closed]), deadline]);
  } finally {
    clearTimeout(timer);
    pool.off('remove', removed);
  }
}
