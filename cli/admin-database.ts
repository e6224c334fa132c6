/** The database admin commands work on: DATABASE_URL, or the embedded one (running, or started for the command). */
import { Client, Pool } from 'pg';
import type { Config } from '../core/config';
import type { Log } from '../core/log';
import { migrate } from '../infra/postgres/migrate';
import { embeddedUrl, startEmbeddedPostgres } from './embedded-postgres';

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function openAdminDatabase(config: Config, log: Log): Promise<{ pool: Pool; close(): Promise<void> }> {
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!url) {
    url = embeddedUrl(config.EMBEDDED_PG_PORT);
    // A running `tributary start all` already holds the data directory: use its server.
    if (!(await answers(url))) stopEmbedded = (await startEmbeddedPostgres(config.DATA_DIR, config.EMBEDDED_PG_PORT, log)).stop;
  }
  const pool = new Pool({ connectionString: url, max: 2 });
  await migrate(pool);
  return {
    pool,
    async close() {
      await pool.end();
      await stopEmbedded?.();
    },
  };
}
