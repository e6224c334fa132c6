/** endPool on a real Postgres: it resolves once the connections of the clients the pool held have closed (pg-pool's end() does not wait for that), and not for ever. */
import { Pool, type PoolClient } from 'pg';
import { createLog, silentLog } from '../../core/log';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres';
import { waitFor } from '../../streaming-api/testing/stream-test-harness';
import { createPool, endPool } from './end-pool';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
});
afterAll(async () => {
  await db.drop();
});

/** A pool (from `make`) holding `n` idle connections, and each connection's client. */
async function poolWithIdle(n: number, make: (url: string) => Pool = (url) => createPool({ connectionString: url, max: n }, silentLog())): Promise<{ pool: Pool; clients: PoolClient[] }> {
  const pool = make(db.url);
  const clients: PoolClient[] = [];
  pool.on('connect', (client) => clients.push(client));
  const held = await Promise.all(Array.from({ length: n }, () => pool.connect()));
  await Promise.all(held.map((c) => c.query('SELECT 1')));
  for (const c of held) c.release();
  return { pool, clients };
}

/** Whether the client's socket is closed (pg keeps it as `connection.stream`). */
const socketClosed = (client: PoolClient) => (client as unknown as { connection: { stream: { destroyed: boolean } } }).connection.stream.destroyed;

it('resolves once every idle connection has closed, where pool.end() alone resolves before', async () => {
  const plain = await poolWithIdle(3, (url) => new Pool({ connectionString: url, max: 3 }));
  await plain.pool.end();
  // The reason for endPool: pg-pool's promise comes while its goodbyes are still under way.
  expect(plain.clients.some((c) => !socketClosed(c))).toBe(true);

  const waited = await poolWithIdle(3);
  await endPool(waited.pool);
  expect(waited.clients.map(socketClosed)).toEqual([true, true, true]);
});

it('waits for the clients it holds, not for a count: one removed just before (its backend killed) does not end the wait early', async () => {
  const { pool, clients } = await poolWithIdle(2);
  const pid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const ended = new Promise<void>((resolve, reject) => {
    // The pool reports the killed idle client and removes it; its `remove` comes after endPool has started.
    pool.on('error', () => endPool(pool).then(resolve, reject));
  });
  await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
  await ended;
  expect(clients.map(socketClosed)).toEqual([true, true]);
});

it('goes on after its wait when a client is never released, and refuses a pool it did not make', async () => {
  const { pool } = await poolWithIdle(1);
  const stuck = await pool.connect();
  const started = Date.now();
  await endPool(pool, 200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  stuck.release();
  await expect(endPool(new Pool({ connectionString: db.url }))).rejects.toThrow('not made by createPool');
});

it('logs an idle connection that fails (its backend killed) instead of raising it as the pool\'s unhandled error', async () => {
  const lines: string[] = [];
  const pool = createPool({ connectionString: db.url, max: 1 }, createLog('test', 'info', { write: (line: string) => void lines.push(line) }));
  try {
    const pid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitFor(() => lines.join('').includes('idle postgres connection failed'), 'the failure logged');
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1); // a new connection serves
  } finally {
    await endPool(pool);
  }
});

