/** user: a local account with this home, shell and primary group (or none). */
import { z } from 'zod';
import type { Change, Provider } from '../api';
import { commandChange } from './command';
import { getGroup, getUser } from './getent';
import { notifiesSchema } from './schema';

/** Props of `user`; the name is the login. */
export const userSchema = z.strictObject({
  action: z.enum(['create', 'remove']).optional(),
  home: z.string().min(1).optional(),
  shell: z.string().min(1).optional(),
  system: z.boolean().optional(),
  group: z.string().min(1).optional(),
  notifies: notifiesSchema,
});

/** Tests with getent, acts with useradd / usermod / userdel. */
export const userProvider: Provider<'user'> = {
  actions: ['create', 'remove'],
  schema: userSchema,
  plan: async (resource, action): Promise<Change[]> => {
    const { name, props } = resource;
    const current = await getUser(name);
    if (action === 'remove') return current ? [commandChange(['userdel', name])] : [];
    const options = [
      ...(props.home ? ['-d', props.home] : []),
      ...(props.shell ? ['-s', props.shell] : []),
      ...(props.group ? ['-g', props.group] : []),
    ];
    if (!current) return [commandChange(['useradd', ...(props.system ? ['--system'] : []), ...options, name])];
    const changed: string[] = [];
    if (props.home && props.home !== current.home) changed.push('-d', props.home);
    if (props.shell && props.shell !== current.shell) changed.push('-s', props.shell);
    if (props.group && (await getGroup(props.group))?.gid !== current.gid) changed.push('-g', props.group);
    return changed.length ? [commandChange(['usermod', ...changed, name])] : [];
  },
};
