/**
 * A mail sent to a flow's address (`<flow>@<org>.<MAIL_DOMAIN>`) posted into the flow: the flow is
 * found by its path and must take posts (not archived), then the mail goes through the same
 * validation, idempotency and queue as every post (submit-post.ts). It is anonymous (`user` "0")
 * and has no source: the flow's address belongs to the flow. Its uuid comes from its Message-ID,
 * so the same mail delivered twice is one item.
 */
import { enforce } from '../access/flow-gate';
import { decideForToken } from '../access/flow-policy';
import { type Flow, flowConversation } from '../domain/types';
import { notFound } from '../errors';
import { postInput } from '../messaging/post-input';
import type { Directory } from '../ports/directory';
import { parseInput } from '../validation';
import { attachFiles, type FilePart } from './attach-files';
import { uuidTakenError } from '../messaging/uuid-owner';
import { mentionableMembers, type PostDeps, type PostResult, senderOf, submitPost } from './submit-post';

/** The flow at `org`/`flow` if it takes mail: 404 when there is none, 403 when it is archived. */
export async function mailTarget(directory: Directory, org: string, flow: string): Promise<Flow> {
  const found = await directory.flowByPath(org, flow);
  if (!found) throw notFound('flow');
  enforce(decideForToken(found.flow, 'post'));
  return found.flow;
}

/** Posts `post` (a `discussion` with a `uuid`) and its files into `flow`; a repeat of the uuid returns the stored item. */
export async function postMailToFlow(deps: PostDeps, flow: Flow, post: Record<string, unknown> & { uuid: string }, files: readonly FilePart[]): Promise<PostResult> {
  const conversation = flowConversation(flow.id);
  const sender = senderOf({ senderId: null }, undefined);
  // A repeat posts nothing and stores no file again: looked up here, before the files are stored,
  // though the backend would also answer it as a replay (ADR 024).
  const [earlier] = await deps.store.findByUuids(conversation, [post.uuid]);
  if (earlier) {
    if (earlier.user !== sender.user) throw uuidTakenError(post.uuid);
    return { message: earlier, replayed: true };
  }
  const input = parseInput(postInput, await attachFiles(deps, conversation, sender.user, post, files));
  return submitPost(deps, { conversation, address: { flow: flow.id }, senderId: null, members: await mentionableMembers(deps.directory, flow.id, input) }, input);
}
