/** Runs the shard lease contract against Postgres advisory locks on a fresh, migrated test database. */
import { shardLeasesContract } from '../../core/contracts/shard-leases.contract';
import { type AddressInfo, connect, createServer } from 'node:net';
import { createTestDatabase } from '../../test/support/postgres';
import { LEASE_LOCK_SPACE, PostgresShardLeases } from './postgres-shard-leases';

shardLeasesContract('postgres', async () => {
  const db = await createTestDatabase();
  return {
    worker: async () => new PostgresShardLeases(db.url),
    async storedToken(shard) {
      const { rows } = await db.pool.query<{ token: string }>('SELECT token FROM shard_leases WHERE shard = $1', [shard]);
      return rows[0] ? Number(rows[0].token) : null;
    },
    async loseConnection(_worker, shard) {
      // The session holding the shard's advisory lock is the worker's: end it from the server side.
      await db.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks
         WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted`,
        [LEASE_LOCK_SPACE, shard],
      );
    },
    teardown: () => db.drop(),
  };
});

it('a worker whose first session could not be opened leases once Postgres answers again', async () => {
  const db = await createTestDatabase();
  // A port that refuses connections until a proxy to the real Postgres starts listening on it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const target = new URL(db.url);
  const viaProxy = new URL(db.url);
  viaProxy.host = `127.0.0.1:${port}`;
  const leases = new PostgresShardLeases(viaProxy.toString());
  await expect(leases.workers()).rejects.toThrow(/ECONNREFUSED/);
  const proxy = createServer((socket) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    socket.pipe(upstream).pipe(socket);
    const close = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  try {
    expect((await leases.workers()).all).toHaveLength(1);
    expect(await leases.tryAcquire(1)).not.toBeNull();
  } finally {
    await leases.close();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await db.drop();
  }
});
