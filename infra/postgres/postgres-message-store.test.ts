/** Runs the message store contract against the Postgres engine on a fresh, migrated test database. */
import { messageStoreContract } from '../../core/contracts/message-store.contract';
import { createTestDatabase } from '../../test/support/postgres';
import { PostgresMessageStore } from './postgres-message-store';

messageStoreContract('postgres', async () => {
  const db = await createTestDatabase();
  const store = new PostgresMessageStore({ pool: db.pool });
  return {
    store,
    async setLeaseToken(shard, token) {
      // Stands in for the shard lease, which owns this table in production.
      await db.pool.query(
        'INSERT INTO shard_leases (shard, token) VALUES ($1, $2) ON CONFLICT (shard) DO UPDATE SET token = EXCLUDED.token',
        [shard, token],
      );
    },
    async teardown() {
      await store.close();
      await db.drop();
    },
  };
});
