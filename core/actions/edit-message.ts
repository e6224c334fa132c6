/** editMessage: new content for one's own message and/or the full tag list of anyone's (spec §2.4 PUT); applied in order by the message backend. */
import { randomUUID } from 'node:crypto';
import type { MessageJson, User } from '../domain/types';
import { forbidden } from '../errors';
import { type EditInput, editInput } from '../messaging/post-input';
import { parseInput } from '../validation';
import type { FlowRef } from './flow-ref';
import { type ChangeDeps, EDITABLE, locateMessage, type MessageLocation, storedMessage } from './message-target';

/** Submits a validated edit; resolves with the event it produced (`message-edit`, else `tag-change`). */
export async function submitEdit(deps: ChangeDeps, caller: User, at: MessageLocation, input: EditInput): Promise<MessageJson> {
  const message = await storedMessage(deps, at);
  if (input.content !== undefined) {
    if (message.user !== String(caller.id)) throw forbidden('Only the author can edit a message');
    if (!EDITABLE.has(message.event)) throw forbidden(`A ${message.event} event cannot be edited`);
  }
  return deps.ingress.submit({
    kind: 'edit', conversation: at.conversation, uuid: randomUUID(), actor: String(caller.id), target: at.id,
    ...(input.content !== undefined ? { content: input.content } : {}),
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
  });
}

/** Edits message `id` of `flow` with `raw` (`content` and/or `tags`). */
export async function editMessage(deps: ChangeDeps, caller: User, flow: FlowRef, id: unknown, raw: unknown): Promise<MessageJson> {
  const at = await locateMessage(deps, caller, flow, id);
  return submitEdit(deps, caller, at, parseInput(editInput, raw));
}
