/**
 * One embedded Postgres cluster: `initdb` once, then `postgres` as a detached child (so that a
 * Ctrl-C in the terminal reaches Tributary, which drains first and stops Postgres last).
 * Postgres's output goes to DATA_DIR/postgres.log, where a failed start's cause is read from.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { CliFailure } from './cli-failure';
import type { PostgresBinaries } from './embedded-binaries';
import { alive, postmasterOf } from './embedded-state';

/** Postgres refuses to run as root: as root it runs as this user (created if missing). */
const RUN_AS = 'postgres';
const START_TIMEOUT_MS = 30_000;

export interface RunAs {
  uid: number;
  gid: number;
}

/** Whom Postgres runs as: ourselves, or `postgres` when we are root. */
export function postgresUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, RUN_AS], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', RUN_AS], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      throw new CliFailure(`Postgres cannot run as root and there is no "${RUN_AS}" user to run it as, nor could one be created; create it (useradd --system ${RUN_AS}) or set DATABASE_URL`);
    }
  }
}

/** The last lines Postgres wrote, for the error when it did not start. */
function tail(logFile: string, lines = 5): string {
  try {
    return readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join(' | ');
  } catch {
    return '';
  }
}

/** Runs a binary to its end; rejects with its output when it fails or cannot be run at all. */
function run(binary: string, args: string[], runAs: RunAs | null, logFile: string): Promise<void> {
  const out = openSync(logFile, 'a');
  return new Promise<void>((resolve, reject) => {
    const child = spawn(binary, args, { ...(runAs ?? {}), stdio: ['ignore', out, out], env: { ...process.env, LC_ALL: 'C' } });
    child.once('error', (err) => reject(new CliFailure(`cannot run ${binary} (${(err as NodeJS.ErrnoException).code ?? err.message}); run \`npm install\` again, or set DATABASE_URL to a Postgres of your own`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(tail(logFile)))));
  }).finally(() => closeSync(out));
}

/**
 * initdb with a password for the `postgres` role. The password file lives in a private folder
 * (0700, owned by whoever runs initdb) and is removed whatever happens.
 */
export async function initCluster(binaries: PostgresBinaries, databaseDir: string, password: string, runAs: RunAs | null, logFile: string): Promise<void> {
  const secrets = mkdtempSync(join(tmpdir(), 'tributary-initdb-'));
  try {
    const pwfile = join(secrets, 'pw');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
      chownSync(secrets, runAs.uid, runAs.gid);
      chownSync(pwfile, runAs.uid, runAs.gid);
      chownSync(databaseDir, runAs.uid, runAs.gid);
    }
    const args = [`--pgdata=${databaseDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'];
    await run(binaries.initdb, args, runAs, logFile).catch((err: Error) => {
      throw err instanceof CliFailure ? err : describeFailure(err.message, databaseDir, 0);
    });
  } finally {
    rmSync(secrets, { recursive: true, force: true });
  }
}

/** The sentence for a Postgres that would not start, from what it wrote. */
function describeFailure(output: string, databaseDir: string, port: number): CliFailure {
  if (/could not bind|Address already in use/i.test(output)) return new CliFailure(`port ${port} is already in use (by another program, or another clone's Tributary); set EMBEDDED_PG_PORT to a free port`);
  if (/No space left on device/i.test(output)) return new CliFailure(`the disk holding ${databaseDir} is full; free some space or set DATA_DIR to a folder on another disk`);
  if (/lock file "postmaster.pid" already exists/i.test(output)) return new CliFailure(`another Postgres already runs on ${databaseDir}; stop it, or set DATA_DIR to another folder`);
  return new CliFailure(`embedded Postgres did not start in ${databaseDir}: ${output || 'no output'}`);
}

export interface RunningPostgres {
  pid: number;
  stop(): Promise<void>;
}

/** True when nothing listens on 127.0.0.1:port. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Whether Postgres at `url` lets us in: yes, not yet (starting, or not listening), or never (it refuses the password). */
async function answers(url: string): Promise<'yes' | 'not yet' | 'wrong password'> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.end();
    return 'yes';
  } catch (err) {
    return (err as { code?: string }).code === '28P01' ? 'wrong password' : 'not yet';
  }
}

/** Stops a postmaster (fast shutdown) and waits until it has exited. */
export async function stopPostmaster(pid: number, child?: ChildProcess): Promise<void> {
  if (!alive(pid)) return;
  const exited = child && child.exitCode === null ? new Promise<void>((resolve) => child.once('exit', () => resolve())) : null;
  process.kill(pid, 'SIGINT');
  if (exited) {
    // Our own child: wait for its exit event (kill(pid, 0) would see it until it is reaped); the
    // child is unref'd, so a timer keeps Node running meanwhile.
    const keepAlive = setInterval(() => {}, 1000);
    return exited.finally(() => clearInterval(keepAlive));
  }
  for (let waited = 0; alive(pid); waited += 50) {
    if (waited > 30_000) throw new CliFailure(`the embedded Postgres (pid ${pid}) did not stop within 30 s; stop it with kill -INT ${pid}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fails with the sentence a user needs when `port` is taken: another clone's Postgres there would answer our password and be taken for ours. */
export async function claimPort(port: number): Promise<void> {
  if (!(await portFree(port))) throw new CliFailure(`port ${port} is already in use (by another program, or another clone's Tributary); set EMBEDDED_PG_PORT to a free port`);
}

/** Starts `postgres` on 127.0.0.1:port (no Unix socket, so clusters never share a socket lock); resolves once it accepts connections. */
export async function startPostmaster(binaries: PostgresBinaries, databaseDir: string, port: number, url: string, runAs: RunAs | null, logFile: string): Promise<RunningPostgres> {
  const out = openSync(logFile, 'a');
  const args = ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const child = spawn(binaries.postgres, args, { ...(runAs ?? {}), detached: true, stdio: ['ignore', out, out], env: { ...process.env, LC_ALL: 'C' } });
  closeSync(out);
  let failed: Error | null = null;
  child.once('error', (err) => (failed = new CliFailure(`cannot run ${binaries.postgres} (${(err as NodeJS.ErrnoException).code ?? err.message}); run \`npm install\` again, or set DATABASE_URL`)));
  const until = Date.now() + START_TIMEOUT_MS;
  const ours = () => postmasterOf(databaseDir)?.pid === child.pid;
  for (;;) {
    const answer = ours() ? await answers(url) : 'not yet';
    if (answer === 'yes') break;
    if (failed) throw failed;
    if (answer === 'wrong password') {
      await stopPostmaster(child.pid!, child);
      throw new CliFailure(
        `the embedded Postgres in ${databaseDir} refuses this clone's password: it was made by an earlier Tributary at this path whose DATA_DIR (with its postgres-password) is gone. Move ${databaseDir} away to start with a new database, or put its password back in DATA_DIR/postgres-password`,
      );
    }
    if (child.exitCode !== null || child.signalCode !== null) throw describeFailure(tail(logFile), databaseDir, port);
    if (Date.now() > until) {
      await stopPostmaster(child.pid!, child);
      throw new CliFailure(`embedded Postgres did not accept connections within ${START_TIMEOUT_MS / 1000} s: ${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // Postgres is a detached process of its own: do not let it keep Node's event loop alive.
  child.unref();
  const pid = child.pid!;
  return { pid, stop: () => stopPostmaster(pid, child) };
}

/** True once initdb has completed in `databaseDir`. */
export const initialised = (databaseDir: string): boolean => existsSync(join(databaseDir, 'PG_VERSION'));
