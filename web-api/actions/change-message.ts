/** Edits and deletions of stored messages: authorized here, applied in order by the message backend. */
import { randomUUID } from 'node:crypto';
import type { ConversationKey, MessageJson, User } from '../../core/domain/types';
import { forbidden, notFound } from '../../core/errors';
import { editInput } from '../../core/messaging/post-input';
import { parseInput } from '../../core/validation';
import type { WebApiDeps } from '../deps';

const EDITABLE = new Set(['message', 'comment', 'status', 'line']);

async function target(deps: WebApiDeps, conversation: ConversationKey, id: number): Promise<MessageJson> {
  const message = await deps.store.get(conversation, id);
  if (!message) throw notFound('message');
  return message;
}

/** Content of one's own message, and/or the full tag list of anyone's (spec §2.4 PUT). */
export async function editMessage(deps: WebApiDeps, me: User, conversation: ConversationKey, id: number, raw: unknown): Promise<MessageJson> {
  const input = parseInput(editInput, raw);
  const message = await target(deps, conversation, id);
  if (input.content !== undefined) {
    if (message.user !== String(me.id)) throw forbidden('Only the author can edit a message');
    if (!EDITABLE.has(message.event)) throw forbidden(`A ${message.event} event cannot be edited`);
  }
  return deps.ingress.submit({
    kind: 'edit', conversation, uuid: randomUUID(), actor: String(me.id), target: id,
    ...(input.content !== undefined ? { content: input.content } : {}),
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
  });
}

/** One's own message or comment is emptied (spec §2.4 DELETE: 200); anything else is 403. */
export async function deleteMessage(deps: WebApiDeps, me: User, conversation: ConversationKey, id: number): Promise<MessageJson> {
  const message = await target(deps, conversation, id);
  if (message.user !== String(me.id) || !EDITABLE.has(message.event)) throw forbidden('Only the author can delete a message');
  return deps.ingress.submit({ kind: 'delete', conversation, uuid: randomUUID(), actor: String(me.id), target: id });
}
