/** endPool on a real Postgres: it resolves only once every connection of the pool has closed (pg-pool's end() does not wait for that). */
import { Pool, type PoolClient } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres';
import { endPool } from './end-pool';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ migrated: false });
});
afterAll(async () => {
  await db.drop();
});

/** A pool holding `n` idle connections, and each connection's client. */
async function poolWithIdle(n: number): Promise<{ pool: Pool; clients: PoolClient[] }> {
  const pool = new Pool({ connectionString: db.url, max: n });
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
  const plain = await poolWithIdle(3);
  await plain.pool.end();
  // The reason for endPool: pg-pool's promise comes while its goodbyes are still under way.
  expect(plain.clients.some((c) => !socketClosed(c))).toBe(true);

  const waited = await poolWithIdle(3);
  await endPool(waited.pool);
  expect(waited.clients.map(socketClosed)).toEqual([true, true, true]);
});

it('waits for a connection in use until it is released, and resolves at once for an empty pool', async () => {
  const { pool, clients } = await poolWithIdle(2);
  const busy = await pool.connect();
  let ended = false;
  const ending = endPool(pool).then(() => {
    ended = true;
  });
  await new Promise((r) => setTimeout(r, 50));
  expect(ended).toBe(false);
  busy.release();
  await ending;
  expect(clients.map(socketClosed)).toEqual([true, true]);

  await endPool(new Pool({ connectionString: db.url }));
});
