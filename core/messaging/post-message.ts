/**
 * postMessage: the one action behind every post, REST or WebSocket. Authorizes through the
 * access gate, validates, derives tags and threading, then hands the command to the
 * ingress and returns the stored message.
 */
import { createHash, randomUUID } from 'node:crypto';
import { requireFlow, requirePrivatePeer } from '../access/flow-gate';
import type { ConversationKey, MessageJson, User } from '../domain/types';
import { flowConversation, privateConversation } from '../domain/types';
import { notFound, validationError } from '../errors';
import type { Directory } from '../ports/directory';
import type { MessageStore } from '../ports/message-store';
import { parseInput } from '../validation';
import type { MessageDraft } from './commands';
import type { MessageIngress } from './message-ingress';
import { type PostInput, postInput } from './post-input';
import { deriveTags, type Member } from './tags';
import { ownRetry } from './uuid-owner';

export interface PostDeps {
  directory: Directory;
  store: MessageStore;
  ingress: MessageIngress;
}

export type PostTarget = { kind: 'flow'; flowId: string; threadId?: string } | { kind: 'private'; userId: number };

export interface PostResult {
  message: MessageJson;
  /** True when the uuid was already stored and the earlier message is returned (an idempotent retry). */
  replayed: boolean;
}

interface Resolved {
  conversation: ConversationKey;
  members: Member[];
  address: { flow: string } | { to: string };
  recipientId?: number;
}

function mentionsSomeone(input: PostInput): boolean {
  return (typeof input.content === 'string' && input.content.includes('@')) || !!input.tags?.some((t) => t.startsWith('@'));
}

async function resolveTarget(deps: PostDeps, sender: User, target: PostTarget, input: PostInput): Promise<Resolved> {
  if (target.kind === 'flow') {
    const { flow } = await requireFlow(deps.directory, sender.id, { id: target.flowId }, 'post');
    // Members are only needed to resolve @mentions; most posts have none, and a big flow's member list is not free.
    const members = mentionsSomeone(input) ? (await deps.directory.flowUsers(flow.id)).filter((u) => !u.disabled && u.inFlow) : [];
    return { conversation: flowConversation(flow.id), members, address: { flow: flow.id } };
  }
  if (input.event !== 'message') throw validationError({ event: ['private messages must be of event "message"'] });
  const other = await requirePrivatePeer(deps.directory, sender.id, target.userId);
  return { conversation: privateConversation(sender.id, other.id), members: [sender, other], address: { to: String(other.id) }, recipientId: other.id };
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

export async function postMessage(deps: PostDeps, sender: User, target: PostTarget, raw: unknown): Promise<PostResult> {
  const input = parseInput(postInput, raw);
  const resolved = await resolveTarget(deps, sender, target, input);
  const { conversation } = resolved;
  const uuid = input.uuid ?? randomUUID();
  const senderId = input.external_user_name ? null : sender.id;
  const user = senderId === null ? '0' : String(senderId);
  if (input.uuid) {
    const earlier = await deps.ingress.existing(conversation, uuid);
    if (earlier) return { message: ownRetry(earlier, user), replayed: true };
  }

  let content = input.content ?? null;
  const extraTags: string[] = [];
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
    tags: [...deriveTags(input.tags ?? [], typeof input.content === 'string' ? input.content : null, resolved.members, senderId), ...extraTags],
    user,
    ...resolved.address,
    sent: Date.now(),
    app: input.app ?? (input.event === 'comment' || input.event === 'activity' || input.event === 'discussion' ? 'influx' : 'chat'),
    attachments: input.attachments ?? [],
    ...(threadId ? { thread_id: threadId } : {}),
    ...(input.thread ? { thread: input.thread } : {}),
    ...(input.external_user_name ? { external_user_name: input.external_user_name } : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.author ? { author: input.author } : {}),
  };
  if (resolved.recipientId !== undefined) await deps.directory.setPrivateConversationOpen(resolved.recipientId, sender.id, true);
  const message = await deps.ingress.submit({ kind: 'post', conversation, uuid, actor: draft.user, draft });
  return { message, replayed: false };
}

