/**
 * postMessage: the one action behind every post (flow, thread, comment, private), REST or
 * WebSocket. Authorizes through the access gate (once), validates, derives tags and threading,
 * then hands the command to the ingress and returns the stored message.
 */
import { createHash, randomUUID } from 'node:crypto';
import { requirePrivatePeer } from '../access/flow-gate';
import type { ConversationKey, MessageJson, User } from '../domain/types';
import { flowConversation, privateConversation } from '../domain/types';
import { notFound, validationError } from '../errors';
import { FileUploads } from '../files/file-uploads';
import type { MessageDraft } from '../messaging/commands';
import { type PostInput, postInput } from '../messaging/post-input';
import { deriveTags, type Member } from '../messaging/tags';
import { ownRetry } from '../messaging/uuid-owner';
import { parseInput } from '../validation';
import type { ActionDeps } from './deps';
import { type FlowRef, flowFor } from './flow-ref';

/** What posting needs: the directory (gate, mentions), the store (retries, parents, threads) and the write path. */
export type PostDeps = Pick<ActionDeps, 'directory' | 'store' | 'ingress'> & {
  /** Where `event: "file"` uploads go; absent where uploads are not taken (the WebSocket). */
  files?: FileUploads;
};

/** Where a post goes: a flow (optionally a thread of it) or a private conversation with `userId`. */
export type PostTarget = { kind: 'flow'; flow: FlowRef; threadId?: string } | { kind: 'private'; userId: number };

export interface PostResult {
  message: MessageJson;
  /** True when the uuid was already stored and the earlier message is returned (an idempotent retry). */
  replayed: boolean;
}

/** The target as the gate admitted it. */
interface Resolved {
  conversation: ConversationKey;
  address: { flow: string } | { to: string };
  flowId?: string;
  /** The other person of a private conversation. */
  peer?: User;
}

function mentionsSomeone(input: PostInput): boolean {
  return (typeof input.content === 'string' && input.content.includes('@')) || !!input.tags?.some((t) => t.startsWith('@'));
}

/** Asks the gate once, before the body is even parsed: a flow the caller cannot post to is refused whatever they send. */
async function resolveTarget(deps: PostDeps, sender: User, target: PostTarget): Promise<Resolved> {
  if (target.kind === 'flow') {
    const { flow } = await flowFor(deps.directory, sender.id, target.flow, 'post');
    return { conversation: flowConversation(flow.id), address: { flow: flow.id }, flowId: flow.id };
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
  // A big flow's member list is not free, and most posts mention nobody.
  return mentionsSomeone(input) ? (await deps.directory.flowUsers(target.flowId!)).filter((u) => !u.disabled && u.inFlow) : [];
}

/** The thread id an integration's external id maps to: stable, so its first use creates the thread. */
function externalThreadId(conversation: string, external: string): string {
  return `x${createHash('sha256').update(`${conversation}\u0000${external}`).digest('base64url').slice(0, 21)}`;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content && typeof content === 'object' && 'text' in content) return String((content as { text: unknown }).text);
  return '';
}

/** Posts `raw` (the send parameters, spec §2.4) as `sender` to `target`; a known uuid of the sender's returns the stored message. */
export async function postMessage(deps: PostDeps, sender: User, target: PostTarget, raw: unknown): Promise<PostResult> {
  const resolved = await resolveTarget(deps, sender, target);
  const input = parseInput(postInput, raw);
  const members = await membersOf(deps, sender, resolved, input);
  const { conversation } = resolved;
  const uuid = input.uuid ?? randomUUID();
  const senderId = input.external_user_name ? null : sender.id;
  const user = senderId === null ? '0' : String(senderId);
  if (input.uuid) {
    const earlier = await deps.ingress.existing(conversation, uuid);
    if (earlier) return { message: ownRetry(earlier, { user, external_user_name: input.external_user_name }), replayed: true };
  }

  let content = input.content ?? null;
  let attachments = input.attachments ?? [];
  const extraTags: string[] = [];
  if (input.event === 'file') {
    if (!deps.files) throw validationError({ event: ['file uploads go through the REST API (POST …/messages)'] });
    const attachment = await deps.files.store(conversation, FileUploads.fileId(conversation, user, uuid), input.content);
    content = attachment;
    attachments = [attachment];
    extraTags.push(':file');
  }
  let threadId = (target.kind === 'flow' ? target.threadId : undefined) ?? input.thread_id;
  if (input.event === 'comment') {
    const parent = await deps.store.get(conversation, input.message!);
    if (!parent) throw notFound('message');
    if (parent.event === 'comment') throw validationError({ message: ['must be a message, not a comment'] });
    content = { title: textOf(parent.content).slice(0, 200) || parent.event, text: input.content };
    extraTags.push(`influx:${parent.id}`);
    threadId ??= parent.thread_id;
  }
  if (input.external_thread_id && !threadId) {
    threadId = externalThreadId(conversation, input.external_thread_id);
    if (!input.thread && !(await deps.store.getThread(conversation, threadId))) throw validationError({ thread: ['is required to start a thread'] });
  } else if (threadId && !(await deps.store.getThread(conversation, threadId))) {
    throw notFound('thread');
  }

  const draft: MessageDraft = {
    uuid,
    event: input.event,
    content,
    tags: [...deriveTags(input.tags ?? [], typeof input.content === 'string' ? input.content : null, members, senderId), ...extraTags],
    user,
    ...resolved.address,
    sent: Date.now(),
    app: input.app ?? (input.event === 'comment' || input.event === 'activity' || input.event === 'discussion' ? 'influx' : 'chat'),
    attachments,
    ...(threadId ? { thread_id: threadId } : {}),
    ...(input.thread ? { thread: input.thread } : {}),
    ...(input.external_user_name ? { external_user_name: input.external_user_name } : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.author ? { author: input.author } : {}),
  };
  if (resolved.peer) await deps.directory.setPrivateConversationOpen(resolved.peer.id, sender.id, true);
  const message = await deps.ingress.submit({ kind: 'post', conversation, uuid, actor: draft.user, draft });
  return { message, replayed: false };
}

