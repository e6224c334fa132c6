/** Mode and owner of a path, shared by directory, file and template: test, then chmod/chown changes. */
import type { Stats } from 'node:fs';
import { chmod, chown } from 'node:fs/promises';
import { z } from 'zod';
import type { Change } from '../api';
import { runCommand } from './command';

/** The props directory, file and template share. */
export const ownershipSchema = {
  mode: z.number().int().min(0).max(0o7777).optional(),
  owner: z.string().min(1).optional(),
  group: z.string().min(1).optional(),
};

/** Wanted mode/owner/group; unset means "leave as is". */
export interface Ownership {
  mode?: number;
  owner?: string;
  group?: string;
}

/** Numeric ids to give a new or changed path (undefined: leave). */
export interface ResolvedOwnership {
  mode?: number;
  uid?: number;
  gid?: number;
}

/** `0644`. */
export function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/** The numeric id of a user or group via getent (so NSS sources count), of a number given as text, or null. */
export async function findId(database: 'passwd' | 'group', name: string): Promise<number | null> {
  if (/^\d+$/.test(name)) return Number(name);
  const result = await runCommand(['getent', database, name]);
  const id = result.code === 0 ? Number(result.stdout.split(':')[2]) : Number.NaN;
  return Number.isInteger(id) ? id : null;
}

/** Like findId, but a missing user or group is an error. */
export async function lookupId(database: 'passwd' | 'group', name: string): Promise<number> {
  const id = await findId(database, name);
  if (id === null) throw new Error(`${database === 'passwd' ? 'user' : 'group'} ${name} does not exist`);
  return id;
}

/** Resolves owner and group names to ids (fails when one does not exist). */
export async function resolveOwnership(want: Ownership): Promise<ResolvedOwnership> {
  return {
    mode: want.mode,
    uid: want.owner === undefined ? undefined : await lookupId('passwd', want.owner),
    gid: want.group === undefined ? undefined : await lookupId('group', want.group),
  };
}

/** Applies ids and mode to an open or existing path (chown first: it can clear setuid bits). */
export async function applyOwnership(path: string, ids: ResolvedOwnership): Promise<void> {
  if (ids.uid !== undefined || ids.gid !== undefined) await chown(path, ids.uid ?? -1, ids.gid ?? -1);
  if (ids.mode !== undefined) await chmod(path, ids.mode);
}

/** The chmod/chown changes an existing path needs. */
export async function ownershipChanges(path: string, stats: Stats, want: Ownership): Promise<Change[]> {
  const changes: Change[] = [];
  const mode = want.mode;
  if (mode !== undefined && (stats.mode & 0o7777) !== mode) {
    changes.push({ description: `chmod ${path} ${octal(mode)} (was ${octal(stats.mode)})`, apply: () => chmod(path, mode) });
  }
  // A user or group that does not exist yet differs (an earlier resource may create it; why-run must not fail here).
  const owner = want.owner !== undefined && (await findId('passwd', want.owner)) !== stats.uid ? want.owner : undefined;
  const group = want.group !== undefined && (await findId('group', want.group)) !== stats.gid ? want.group : undefined;
  if (owner !== undefined || group !== undefined) {
    changes.push({
      description: `chown ${path} ${owner ?? ''}${group !== undefined ? `:${group}` : ''} (was ${stats.uid}:${stats.gid})`,
      // chown can clear setuid/setgid bits, so the wanted mode is set again afterwards.
      apply: async () => applyOwnership(path, await resolveOwnership({ owner, group, mode })),
    });
  }
  return changes;
}

/** Describes the ownership a new path gets: "mode 0644, owner redis:redis". */
export function describeOwnership(want: Ownership): string {
  const parts = [];
  if (want.mode !== undefined) parts.push(`mode ${octal(want.mode)}`);
  if (want.owner !== undefined || want.group !== undefined) parts.push(`owner ${want.owner ?? ''}:${want.group ?? ''}`);
  return parts.join(', ');
}
