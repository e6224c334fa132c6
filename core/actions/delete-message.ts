/** deleteMessage: one's own message or comment is emptied (spec §2.4 DELETE); anything else is 403. */
import { randomUUID } from 'node:crypto';
import type { MessageJson, User } from '../domain/types';
import { forbidden } from '../errors';
import type { FlowRef } from './flow-ref';
import { type ChangeDeps, EDITABLE, locateMessage, storedMessage } from './message-target';

/** Deletes message `id` of `flow`; resolves with the `message-edit` event (`deleted: true`). */
export async function deleteMessage(deps: ChangeDeps, caller: User, flow: FlowRef, id: unknown): Promise<MessageJson> {
  const at = await locateMessage(deps, caller, flow, id);
  const message = await storedMessage(deps, at);
  if (message.user !== String(caller.id) || !EDITABLE.has(message.event)) throw forbidden('Only the author can delete a message');
  return deps.ingress.submit({ kind: 'delete', conversation: at.conversation, uuid: randomUUID(), actor: String(caller.id), target: at.id });
}
