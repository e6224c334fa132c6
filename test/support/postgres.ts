/** A throwaway database per test file on the real Postgres server that `npm test` brings up. */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { migrate } from '../../infra/postgres/migrate';

export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** Creates an empty database (migrated unless `migrated: false`) and a pool on it. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `trib_test_${randomBytes(6).toString('hex')}`;
  const admin = new Pool({ connectionString: TEST_POSTGRES_URL, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(TEST_POSTGRES_URL, name);
  const pool = new Pool({ connectionString: url, max: 10 });
  // DROP … WITH (FORCE) at teardown may end a connection the pool was still closing; that is expected.
  pool.on('error', (err) => {
    if ((err as { code?: string }).code !== '57P01') throw err;
  });
  if (options.migrated !== false) await migrate(pool);
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      const again = new Pool({ connectionString: TEST_POSTGRES_URL, max: 1 });
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}
