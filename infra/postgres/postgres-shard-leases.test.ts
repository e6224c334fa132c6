/** Runs the shard lease contract against Postgres advisory locks on a fresh, migrated test database. */
import { shardLeasesContract } from '../../core/contracts/shard-leases.contract';
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
