/** directory: a path that is a directory with this mode and owner (or absent). */
import { mkdir, rm, rmdir } from 'node:fs/promises';
import { z } from 'zod';
import type { Change, Provider } from '../api';
import { statOrNull } from './file-content';
import { applyOwnership, describeOwnership, ownershipChanges, ownershipSchema, resolveOwnership } from './ownership';
import { notifiesSchema } from './schema';

/** Props of `directory`. */
export const directorySchema = z.strictObject({
  action: z.enum(['create', 'delete']).optional(),
  ...ownershipSchema,
  recursive: z.boolean().optional(),
  notifies: notifiesSchema,
});

/** Creates (with missing parents unless `recursive: false`) or deletes a directory; the name is the path. */
export const directoryProvider: Provider<'directory'> = {
  actions: ['create', 'delete'],
  schema: directorySchema,
  plan: async (resource, action): Promise<Change[]> => {
    const path = resource.name;
    const { recursive = true, ...want } = resource.props;
    const stats = await statOrNull(path);
    if (stats && !stats.isDirectory()) throw new Error(`${path} exists and is not a directory`);
    if (action === 'delete') {
      if (!stats) return [];
      // Only `recursive: true` said explicitly deletes contents; the default removes an empty directory.
      const all = resource.props.recursive === true;
      return [{ description: `delete ${path}${all ? ' and its contents' : ''}`, apply: () => (all ? rm(path, { recursive: true }) : rmdir(path)) }];
    }
    if (stats) return ownershipChanges(path, stats, want);
    const how = describeOwnership(want);
    return [
      {
        description: `create ${path}${how ? ` (${how})` : ''}`,
        apply: async () => {
          await mkdir(path, { recursive });
          await applyOwnership(path, await resolveOwnership(want));
        },
      },
    ];
  },
};
