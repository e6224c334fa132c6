/** updateUser: `PUT /users/:id` — a user changes their own nick, name or email; every flow they read gets `user-edit`. */
import { z } from 'zod';
import { flowsAllowed } from '../access/flow-gate';
import type { User } from '../domain/types';
import { forbidden, notFound } from '../errors';
import { userEditEvent } from '../events/live-events';
import { publishEvent } from '../events/publish';
import { parseInput } from '../validation';
import type { ActionDeps } from './deps';
import { nick, positiveId } from './inputs';

const updateInput = z
  .object({
    nick: nick.optional(),
    email: z.string().email().max(320).optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .refine((b) => b.nick !== undefined || b.email !== undefined || b.name !== undefined, { message: 'nothing to change', path: ['nick'] });

/** Applies `raw` to user `rawUserId`, who must be the caller (someone else visible: 403; invisible: 404). */
export async function updateUser(deps: Pick<ActionDeps, 'directory' | 'bus'>, caller: User, rawUserId: unknown, raw: unknown): Promise<User> {
  const id = parseInput(positiveId, rawUserId);
  if (id !== caller.id) {
    if (!(await deps.directory.visibleUser(caller.id, id))) throw notFound('user');
    throw forbidden('You can only change your own account');
  }
  const updated = await deps.directory.updateUser(caller.id, parseInput(updateInput, raw));
  const flows = await flowsAllowed(deps.directory, caller.id, 'read');
  const now = Date.now();
  await Promise.all(flows.map((f) => publishEvent(deps.bus, userEditEvent(f.flow.id, updated, now))));
  return updated;
}
