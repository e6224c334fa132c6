/** The database admin commands work on: DATABASE_URL, or the embedded one (the running server's, found through DATA_DIR, or one started for the command). */
import type { Pool } from 'pg';
import type { Config } from '../core/config';
import type { Log } from '../core/log';
import { createPool, endPool } from '../infra/postgres/end-pool';
import { migrate } from '../infra/postgres/migrate';
import { openEmbeddedPostgres } from './embedded-postgres';
import { ensureDatabase } from './ensure-database';

export interface AdminDatabase {
  pool: Pool;
  close(): Promise<void>;
}

export async function openAdminDatabase(config: Config, log: Log): Promise<AdminDatabase> {
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (url) await ensureDatabase(url, log);
  else {
    const embedded = await openEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, role: 'command', log });
    url = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const pool = createPool({ connectionString: url, max: 2 }, log);
  try {
    await migrate(pool);
  } catch (err) {
    await endPool(pool);
    await stopEmbedded?.();
    throw err;
  }
  return {
    pool,
    async close() {
      await endPool(pool);
      await stopEmbedded?.();
    },
  };
}
