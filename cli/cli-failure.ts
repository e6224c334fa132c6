/** Expected failures of the `tributary` command: one sentence naming the cause and the fix, and an exit code; never a stack trace. */

/** A failure the user can fix; the CLI prints `tributary: <message>` and exits with `code`. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly code: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/**
 * Turns a file-system error about `path` into the sentence a user needs, or null when it is not
 * one we expect. `fix` names the setting that moves the folder (e.g. DATA_DIR).
 */
export function fileSystemFailure(err: unknown, path: string, fix = 'set DATA_DIR to a folder you can write'): CliFailure | null {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new CliFailure(`the disk holding ${path} is full; free some space or ${fix}`);
    case 'EACCES':
    case 'EPERM':
      return new CliFailure(`cannot write ${path} (permission denied); ${fix}`);
    case 'EROFS':
      return new CliFailure(`${path} is on a read-only file system; ${fix}`);
    case 'ENOTDIR':
    case 'EEXIST':
      return new CliFailure(`${path} is not a folder; ${fix}`);
    default:
      return null;
  }
}
