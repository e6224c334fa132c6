/**
 * Ends a pg Pool and waits until each of its connections has closed. pg-pool's own `end()` resolves
 * as soon as it has asked its idle clients to end, before their goodbyes reach the server; a
 * Postgres stopped right after (the embedded one, at shutdown) then cuts them with "terminating
 * connection due to administrator command", which the pool reports as an idle client's error.
 */
import type { Pool } from 'pg';

/** How long a connection may take to close before shutdown goes on without it. */
const CLOSE_WAIT_MS = 2000;

export async function endPool(pool: Pool, waitMs = CLOSE_WAIT_MS): Promise<void> {
  // pg-pool emits `remove` once a client's connection has ended; every client it holds now is removed on the way.
  const open = pool.totalCount;
  let removed = 0;
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) return resolve();
    pool.on('remove', () => {
      if (++removed >= open) resolve();
    });
    timer = setTimeout(resolve, waitMs);
  });
  try {
    await pool.end();
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
