/** What every bench:* entry point shares: a log with seconds since start, and running `main` as a script that kills its children whatever happens. */
import { killAllChildren, killAllChildrenNow } from './processes';

export type Log = (line: string) => void;

/** A log that prefixes each line with the seconds since it was made. */
export function timestampedLog(): Log {
  const started = Date.now();
  return (line) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
}

/** When `module` is the entry point: runs `main` with the command line, exits with its code, and leaves no child behind. */
export function runAsScript(module: NodeJS.Module, name: string, main: (argv: string[]) => Promise<number>): void {
  if (require.main !== module) return;
  process.once('exit', killAllChildrenNow);
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch(async (err: unknown) => {
      process.stderr.write(`${name}: ${err instanceof Error ? err.stack : String(err)}\n`);
      await killAllChildren();
      process.exit(1);
    });
}
