/**
 * DATA_DIR/embedded-postgres.json: which embedded Postgres serves this DATA_DIR (its pid, port and
 * cluster folder) and which Tributary process started it. Every embedded-mode command reads it to
 * find and reuse a running server's database, and to know that it must not stop it.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATE_FILE = 'embedded-postgres.json';

export interface EmbeddedState {
  /** The postmaster's pid. */
  pid: number;
  port: number;
  databaseDir: string;
  /** The Tributary process that started it and will stop it. */
  ownerPid: number;
  /** `server` for `tributary start all`, `command` for an admin command run while no server was. */
  owner: 'server' | 'command';
}

const statePath = (dataDir: string) => join(dataDir, STATE_FILE);

export function readState(dataDir: string): EmbeddedState | null {
  try {
    const state = JSON.parse(readFileSync(statePath(dataDir), 'utf8')) as Partial<EmbeddedState>;
    if (typeof state.pid !== 'number' || typeof state.port !== 'number' || typeof state.ownerPid !== 'number' || typeof state.databaseDir !== 'string') return null;
    return { pid: state.pid, port: state.port, databaseDir: state.databaseDir, ownerPid: state.ownerPid, owner: state.owner === 'command' ? 'command' : 'server' };
  } catch {
    return null;
  }
}

/** Written through a rename, so that a reader never sees half a file. */
export function writeState(dataDir: string, state: EmbeddedState): void {
  const partial = `${statePath(dataDir)}.${process.pid}`;
  writeFileSync(partial, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(partial, statePath(dataDir));
}

/** Removes the file if `ownerPid` still owns it: a later owner's file stays. */
export function clearState(dataDir: string, ownerPid: number): void {
  const state = readState(dataDir);
  if (existsSync(statePath(dataDir)) && (!state || state.ownerPid === ownerPid)) rmSync(statePath(dataDir), { force: true });
}

/** True while a process with this pid exists (EPERM: it exists, owned by someone else). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid and port a cluster's own lock file (postmaster.pid) names, or null when there is none. */
export function postmasterOf(databaseDir: string): { pid: number; port: number } | null {
  try {
    const lines = readFileSync(join(databaseDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return pid > 0 ? { pid, port } : null;
  } catch {
    return null;
  }
}
