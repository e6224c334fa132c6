/** The stored flow message an edit, a retag or a deletion is about, found through the access gate. */
import type { ConversationKey, MessageJson, User } from '../domain/types';
import { flowConversation } from '../domain/types';
import { notFound } from '../errors';
import { parseInput } from '../validation';
import type { ActionDeps } from './deps';
import { type FlowRef, flowFor } from './flow-ref';
import { positiveId } from './inputs';

export type ChangeDeps = Pick<ActionDeps, 'directory' | 'store' | 'ingress'>;

export interface MessageLocation {
  conversation: ConversationKey;
  id: number;
}

/** The flow (asked of the gate as a post: an archived flow is read-only) and the message id in it. */
export async function locateMessage(deps: ChangeDeps, caller: User, flow: FlowRef, rawId: unknown): Promise<MessageLocation> {
  const access = await flowFor(deps.directory, caller.id, flow, 'post');
  return { conversation: flowConversation(access.flow.id), id: parseInput(positiveId, rawId) };
}

/** The stored message; 404 when there is none. */
export async function storedMessage(deps: ChangeDeps, at: MessageLocation): Promise<MessageJson> {
  const message = await deps.store.get(at.conversation, at.id);
  if (!message) throw notFound('message');
  return message;
}

/** Events whose content a person wrote, and so may edit or delete. */
export const EDITABLE = new Set(['message', 'comment', 'status', 'line']);
