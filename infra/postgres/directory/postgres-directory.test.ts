/** Runs the directory contract suite against the Postgres directory on a fresh, migrated test database. */
import { directoryContract } from '../../../core/contracts/directory.contract';
import { createTestDatabase } from '../../../test/support/postgres';
import { PostgresDirectory } from './postgres-directory';

directoryContract('postgres', async (hasher) => {
  const db = await createTestDatabase();
  return { directory: new PostgresDirectory(db.pool, hasher), teardown: () => db.drop() };
});
