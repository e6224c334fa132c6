/** Runs the BlobStore contract against the `file_blobs` table of a fresh, migrated test database. */
import { blobStoreContract } from '../../core/contracts/blob-store.contract';
import { createTestDatabase } from '../../test/support/postgres';
import { PostgresBlobStore } from './postgres-blob-store';

blobStoreContract('postgres', async () => {
  const db = await createTestDatabase();
  return { store: new PostgresBlobStore(db.pool), teardown: () => db.drop() };
});
