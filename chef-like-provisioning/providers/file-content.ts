/** The file logic file and template share: compare content and ownership, write atomically, delete. */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Change, SensitiveContent } from '../api';
import { contentDiff } from '../content-diff';
import { describeOwnership, type Ownership, octal, ownershipChanges, type ResolvedOwnership, resolveOwnership } from './ownership';

/** The lstat of a path, or null when it does not exist. */
export async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Lines that differ between two texts, after their common first and last lines: "3 lines changed". */
export function changedLines(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return Math.max(a.length - start - end, b.length - start - end);
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * Writes a file so that readers see the old or the new content, never a part: a temp file in the
 * same directory (same file system, so rename is atomic), owned and moded, fsynced, then renamed.
 */
export async function writeAtomically(path: string, content: string, ids: ResolvedOwnership): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.tributary-${process.pid}-${randomBytes(4).toString('hex')}`);
  const mode = ids.mode ?? 0o644;
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(content);
    if (ids.uid !== undefined || ids.gid !== undefined) await handle.chown(ids.uid ?? -1, ids.gid ?? -1);
    await handle.chmod(mode); // open's mode is masked by the umask
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
  // The rename itself is durable only once the directory is synced.
  const dir = await open(dirname(path), 'r');
  await dir.sync().finally(() => dir.close());
}

/** A file's wanted state: its content and ownership, or absent. */
export interface FileState extends Ownership, SensitiveContent {
  action: 'create' | 'delete';
  content: string;
}

/** The changes that bring `path` to `want`: none when it is already so. */
export async function planFile(path: string, want: FileState): Promise<Change[]> {
  const stats = await statOrNull(path);
  if (stats?.isDirectory()) throw new Error(`${path} is a directory`);
  if (want.action === 'delete') {
    return stats ? [{ description: `delete ${path}`, apply: () => unlink(path) }] : [];
  }
  if (!stats) {
    const how = [describeOwnership({ ...want, mode: want.mode ?? 0o644 }), `${lineCount(want.content)} lines`].join(', ');
    return [{ description: `create ${path} (${how})`, diff: contentDiff(path, '', want.content, want.sensitive === true), apply: async () => writeAtomically(path, want.content, await resolveOwnership(want)) }];
  }
  const current = stats.isFile() ? await readFile(path, 'utf8') : null;
  if (current === want.content) return ownershipChanges(path, stats, want);
  const mode = want.mode ?? stats.mode & 0o7777;
  const what = current === null ? 'replacing a symlink' : `${changedLines(current, want.content)} lines changed`;
  return [
    {
      description: `write ${path} (mode ${octal(mode)}, ${what})`,
      diff: current === null ? [] : contentDiff(path, current, want.content, want.sensitive === true),
      apply: async () => {
        const ids = await resolveOwnership(want);
        // What is not asked for stays as it was.
        await writeAtomically(path, want.content, { mode, uid: ids.uid ?? stats.uid, gid: ids.gid ?? stats.gid });
      },
    },
  ];
}
