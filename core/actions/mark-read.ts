/**
 * markRead: `PUT /flows/:org/:flow/read` and `PUT /private/:id/read` `{message_id}` — moves the
 * caller's read marker (a Tributary extension, docs/api.md "Read markers"); never backwards.
 */
import { z } from 'zod';
import { requireFlow, requirePrivatePeer } from '../access/flow-gate';
import { type ConversationKey, flowConversation, privateConversation, type User } from '../domain/types';
import { validationError } from '../errors';
import type { FlowLocator } from '../ports/directory';
import { parseInput } from '../validation';
import type { ActionDeps } from './deps';
import { positiveId } from './inputs';

const readInput = z.object({ message_id: positiveId });

export type ReadTarget = { kind: 'flow'; flow: FlowLocator } | { kind: 'private'; userId: number };

/** The marker after the move (the caller's furthest). A flow the caller may not read is 404; an id the conversation does not hold is 400. */
export async function markRead(deps: Pick<ActionDeps, 'directory' | 'store'>, caller: User, target: ReadTarget, raw: unknown): Promise<{ message_id: number }> {
  const conversation = await readableConversation(deps, caller, target);
  const { message_id } = parseInput(readInput, raw);
  // A marker past the newest message would hide the next ones as read.
  if (!(await deps.store.get(conversation, message_id))) throw validationError({ message_id: ['names no message of this conversation'] });
  return { message_id: await deps.directory.readMarkers.markRead(caller.id, conversation, message_id) };
}

async function readableConversation(deps: Pick<ActionDeps, 'directory'>, caller: User, target: ReadTarget): Promise<ConversationKey> {
  if (target.kind === 'flow') return flowConversation((await requireFlow(deps.directory, caller.id, target.flow, 'read')).flow.id);
  return privateConversation(caller.id, (await requirePrivatePeer(deps.directory, caller.id, target.userId)).id);
}
