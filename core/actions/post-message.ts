/**
 * postMessage: the one action behind every post (flow, thread, comment, private), REST or
 * WebSocket. Authorizes through the access gate (once), validates, derives tags and threading,
 * then hands the command to the ingress and returns the stored message.
 */
import { requirePrivatePeer } from '../access/flow-gate';
import type { ConversationKey, User } from '../domain/types';
import { flowConversation, privateConversation } from '../domain/types';
import { AppError, validationError } from '../errors';
import { type PostInput, postInput } from '../messaging/post-input';
import type { Member } from '../messaging/tags';
import { parseInput } from '../validation';
import type { FlowAccess } from '../ports/directory';
import { type FlowRef, flowFor } from './flow-ref';
import { mentionableMembers, type PostDeps, type PostResult, submitPost } from './submit-post';

export type { PostDeps, PostResult } from './submit-post';

/** Where a post goes: a flow (optionally a thread of it) or a private conversation with `userId`. */
export type PostTarget = { kind: 'flow'; flow: FlowRef; threadId?: string } | { kind: 'private'; userId: number };

/** The target as the gate admitted it. */
interface Resolved {
  conversation: ConversationKey;
  address: { flow: string } | { to: string };
  flowId?: string;
  /** The other person of a private conversation. */
  peer?: User;
  /** A flow the gate itself (not the ingress's memory) allowed the member to post to. */
  asked?: FlowAccess;
}

/**
 * A file upload writes its file before the post is queued, so only the gate admits it; any other
 * post of a member may be admitted from the ingress's memory (the store checks the member again as
 * it writes the post: ADR 035).
 */
const mayAdmitFromMemory = (raw: unknown): boolean => (raw as { event?: unknown } | null)?.event !== 'file';

/** Asks the gate once, before the body is even parsed: a flow the caller cannot post to is refused whatever they send. */
async function resolveTarget(deps: PostDeps, sender: User, target: PostTarget, raw: unknown): Promise<Resolved> {
  if (target.kind === 'flow') {
    const remembered = mayAdmitFromMemory(raw) ? deps.ingress.postAccess.get(sender.id, target.flow) : undefined;
    const access = remembered ?? (await flowFor(deps.directory, sender.id, target.flow, 'post'));
    const { flow } = access;
    return { conversation: flowConversation(flow.id), address: { flow: flow.id }, flowId: flow.id, ...(remembered ? {} : { asked: access }) };
  }
  const other = await requirePrivatePeer(deps.directory, sender.id, target.userId);
  return { conversation: privateConversation(sender.id, other.id), address: { to: String(other.id) }, peer: other };
}

/** Who an @mention may name: the flow's active members (only fetched when the post mentions someone), or the two people of a private conversation. */
async function membersOf(deps: PostDeps, sender: User, target: Resolved, input: PostInput): Promise<Member[]> {
  if (target.peer) {
    if (input.event !== 'message' && input.event !== 'file') throw validationError({ event: ['private messages must be of event "message" or "file"'] });
    return [sender, target.peer];
  }
  return mentionableMembers(deps.directory, target.flowId!, input);
}

/** Posts `raw` (the send parameters, spec §2.4) as `sender` to `target`; a known uuid of the sender's returns the stored message. */
export async function postMessage(deps: PostDeps, sender: User, target: PostTarget, raw: unknown): Promise<PostResult> {
  const resolved = await resolveTarget(deps, sender, target, raw);
  const input = parseInput(postInput, raw);
  const members = await membersOf(deps, sender, resolved, input);
  const peer = resolved.peer;
  let result: PostResult;
  try {
    result = await submitPost(deps, {
      conversation: resolved.conversation,
      address: resolved.address,
      senderId: input.external_user_name ? null : sender.id,
      members,
      ...(target.kind === 'flow' ? { member: sender.id } : {}),
      ...(target.kind === 'flow' && target.threadId ? { threadId: target.threadId } : {}),
      ...(peer ? { accept: () => deps.directory.setPrivateConversationOpen(peer.id, sender.id, true) } : {}),
    }, input);
  } catch (err) {
    // Refused as written (blocked, removed, archived) or aimed at something gone: the next post asks the gate.
    if (target.kind === 'flow' && err instanceof AppError && (err.code === 'NOT_FOUND' || err.code === 'FORBIDDEN')) deps.ingress.postAccess.forget(sender.id, target.flow);
    throw err;
  }
  // Remembered only once the write path showed that it checks this member where it stores their posts.
  if (target.kind === 'flow' && resolved.asked && result.posterChecked) deps.ingress.postAccess.remember(sender.id, target.flow, resolved.asked);
  return result;
}
