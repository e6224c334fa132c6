/** group: a local group with exactly these members (when given), or none. */
import { z } from 'zod';
import type { Change, Provider } from '../api';
import { commandChange } from './command';
import { getGroup } from './getent';
import { notifiesSchema } from './schema';

/** Props of `group`; the name is the group's. */
export const groupSchema = z.strictObject({
  action: z.enum(['create', 'remove']).optional(),
  system: z.boolean().optional(),
  members: z.array(z.string().min(1)).optional(),
  notifies: notifiesSchema,
});

/** Tests with getent, acts with groupadd / gpasswd / groupdel. */
export const groupProvider: Provider<'group'> = {
  actions: ['create', 'remove'],
  schema: groupSchema,
  plan: async (resource, action): Promise<Change[]> => {
    const { name, props } = resource;
    const current = await getGroup(name);
    if (action === 'remove') return current ? [commandChange(['groupdel', name])] : [];
    const changes = current ? [] : [commandChange(['groupadd', ...(props.system ? ['--system'] : []), name])];
    if (props.members) {
      const have = current?.members ?? [];
      for (const member of props.members.filter((m) => !have.includes(m))) changes.push(commandChange(['gpasswd', '-a', member, name]));
      for (const member of have.filter((m) => !props.members?.includes(m))) changes.push(commandChange(['gpasswd', '-d', member, name]));
    }
    return changes;
  },
};
