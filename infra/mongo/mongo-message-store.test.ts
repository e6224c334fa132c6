/** Runs the message store contract against MongoDB when MONGO_URL points at a server; says loudly when it cannot. */
import { randomBytes } from 'node:crypto';
import { messageStoreContract } from '../../core/contracts/message-store.contract';
import { MongoMessageStore } from './mongo-message-store';
import type { LeaseRow } from './message-filter';

const MONGO_URL = process.env.MONGO_URL;

if (MONGO_URL) {
  messageStoreContract('mongodb', async () => {
    // A database of its own per run, dropped afterwards, like the Postgres test databases.
    const dbName = `trib_test_${randomBytes(6).toString('hex')}`;
    const store = new MongoMessageStore({ url: MONGO_URL, dbName });
    const { MongoClient } = await import('mongodb');
    const admin = new MongoClient(MONGO_URL);
    const db = admin.db(dbName);
    return {
      store,
      async setLeaseToken(shard, token) {
        // Stands in for the shard lease, which owns this collection in production.
        await db.collection<LeaseRow>('shard_leases').updateOne({ shard }, { $set: { token } }, { upsert: true });
      },
      async teardown() {
        await store.close();
        await db.dropDatabase();
        await admin.close();
      },
    };
  });
} else {
  // The one sanctioned skip: no MongoDB server can run on this project's CI machine.
  console.warn('*** MONGO_URL not set: MongoDB message store contract SKIPPED ***');
  describe('MessageStore contract: mongodb', () => {
    it.skip('SKIPPED: MONGO_URL is not set, so there is no MongoDB server to run the contract against', () => {});
  });
}
