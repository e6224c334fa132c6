/** What every bench:* entry point shares: a log with seconds since start, and running `main` as a script that cleans up and kills its children whatever happens. */
import { killAllChildren, killAllChildrenNow } from './processes';

export type Log = (line: string) => void;

/** A log that prefixes each line with the seconds since it was made. */
export function timestampedLog(): Log {
  const started = Date.now();
  return (line) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
}

/** Clean-ups to run if the script is stopped early (a stack's database and Redis keys would outlive it otherwise). */
const pending = new Set<() => Promise<void>>();

/** Runs `cleanup` if the script is interrupted, timed out by {@link stopScript} or fails before `cleanup` was run; returns the function that forgets it. */
export function cleanUpOnAbort(cleanup: () => Promise<void>): () => void {
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}

/** Set once the script is being stopped: whatever `main` does meanwhile, the exit code is the stop's. */
let stopping = false;

/** Stops the script: runs the pending clean-ups (15 s at most), kills every child, exits with `code`. */
export function stopScript(why: string, code: number, log: Log): void {
  if (stopping) return;
  stopping = true;
  log(`${why}: stopping everything`);
  setTimeout(() => process.exit(code), 15_000).unref();
  void Promise.allSettled([...pending].map((c) => c()))
    .then(() => killAllChildren())
    .finally(() => process.exit(code));
}

/** When `module` is the entry point: runs `main` with the command line, exits with its code, and leaves no child behind (also on SIGINT and SIGTERM). */
export function runAsScript(module: NodeJS.Module, name: string, main: (argv: string[]) => Promise<number>): void {
  if (require.main !== module) return;
  const log: Log = (line) => process.stderr.write(`${name}: ${line}\n`);
  process.once('exit', killAllChildrenNow);
  process.once('SIGINT', () => stopScript('interrupted', 130, log));
  process.once('SIGTERM', () => stopScript('terminated', 143, log));
  main(process.argv.slice(2))
    .then((code) => {
      if (!stopping) process.exit(code);
    })
    .catch((err: unknown) => stopScript(`failed: ${err instanceof Error ? err.stack : String(err)}`, 1, log));
}
