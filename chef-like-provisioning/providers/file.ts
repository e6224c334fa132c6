/** file: a path with exactly this content, mode and owner (or absent). */
import { z } from 'zod';
import type { Provider } from '../api';
import { planFile } from './file-content';
import { ownershipSchema } from './ownership';
import { notifiesSchema } from './schema';

/** Props of `file`. */
export const fileSchema = z.strictObject({
  action: z.enum(['create', 'delete']).optional(),
  content: z.string(),
  ...ownershipSchema,
  sensitive: z.boolean().optional(),
  notifies: notifiesSchema,
});

/** Writes files atomically; the name is the absolute path. */
export const fileProvider: Provider<'file'> = {
  actions: ['create', 'delete'],
  schema: fileSchema,
  plan: (resource, action) => planFile(resource.name, { ...resource.props, action: action as 'create' | 'delete' }),
};
