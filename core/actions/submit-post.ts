/**
 * The half of posting every poster shares once the gate has admitted it — a member (postMessage),
 * a source with its flow token (postAsSource) or a v1 push: comment parents,
 * threads (an `external_thread_id` scoped to its source), tags, and the ingress.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Source } from '../domain/source';
import type { ConversationKey, MessageJson, ThreadSource } from '../domain/types';
import { AppError, notFound, validationError } from '../errors';
import { FileUploads } from '../files/file-uploads';
import type { MessageDraft } from '../messaging/commands';
import type { PostInput } from '../messaging/post-input';
import { deriveTags, type Member } from '../messaging/tags';
import { uuidTakenError } from '../messaging/uuid-owner';
import type { Directory } from '../ports/directory';
import type { ActionDeps } from './deps';

/** What posting needs: the directory (gate, mentions), the store (retries, parents, threads) and the write path. */
export type PostDeps = Pick<ActionDeps, 'directory' | 'store' | 'ingress'> & {
  /** Where `event: "file"` uploads go; absent where uploads are not taken (the WebSocket). */
  files?: FileUploads;
};

export interface PostResult {
  message: MessageJson;
  /** True when the uuid was already stored and the earlier message is returned (an idempotent retry). */
  replayed: boolean;
  /** The store checked the posting member as it wrote the post (ADR 035); absent or false for the others. */
  posterChecked?: boolean;
}

/** Where and as whom, as the gate admitted the poster. */
export interface PostContext {
  conversation: ConversationKey;
  address: { flow: string } | { to: string };
  /** The posting user; null for anonymous posts (`user` "0"): `external_user_name`, sources, pushes. */
  senderId: number | null;
  /** The member whose right to post into the flow admitted the post (also behind an `external_user_name`); the store checks it again as it writes (ADR 035). */
  member?: number;
  /** Who an @mention may name. */
  members: Member[];
  /** The thread a path named (`…/threads/:id/messages`). */
  threadId?: string;
  /** The source posting with its flow token: scopes `external_thread_id`, stamps the thread and the message. */
  source?: Source;
  /** Runs once the post is valid, just before it is queued (a private conversation opens for its recipient). */
  accept?: () => Promise<void>;
}

function mentionsSomeone(input: Pick<PostInput, 'content' | 'tags'>): boolean {
  return (typeof input.content === 'string' && input.content.includes('@')) || !!input.tags?.some((t) => t.startsWith('@'));
}

/** The flow's active members when the post mentions someone; a big flow's member list is not free, and most posts mention nobody. */
export async function mentionableMembers(directory: Directory, flowId: string, input: Pick<PostInput, 'content' | 'tags'>): Promise<Member[]> {
  return mentionsSomeone(input) ? (await directory.flowUsers(flowId)).filter((u) => !u.disabled && u.inFlow) : [];
}

/**
 * The thread id an external id maps to: stable, so its first use creates the thread. A source's
 * ids are its own (spec §2.4: "unique within the source"): two sources using one id write into two
 * threads. Members' ids keep the unscoped form they always had; no id can contain the NUL that
 * separates the parts (core/storable-text.ts), so no member's id can spell a source's.
 */
export function externalThreadId(conversation: string, external: string, source?: Source): string {
  const scoped = source ? `${conversation}\u0000source:${source.id}\u0000${external}` : `${conversation}\u0000${external}`;
  return `x${createHash('sha256').update(scoped).digest('base64url').slice(0, 21)}`;
}

/** A thread's `source` as clients see it. */
export function threadSourceOf(source: Source): ThreadSource {
  return { id: source.id, name: source.name, external_url: source.externalUrl, application: null };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content && typeof content === 'object' && 'text' in content) return String((content as { text: unknown }).text);
  return '';
}

/** Who a message is from, as its uuid's owner: the same uuid from anyone else is a 409 (core/messaging/uuid-owner.ts). */
export function senderOf(ctx: Pick<PostContext, 'senderId' | 'source'>, externalUserName: string | undefined): Pick<MessageJson, 'user' | 'external_user_name' | 'source_id'> {
  return {
    user: ctx.senderId === null ? '0' : String(ctx.senderId),
    ...(externalUserName ? { external_user_name: externalUserName } : {}),
    ...(ctx.source ? { source_id: ctx.source.id } : {}),
  };
}

/**
 * Queues a draft and waits until it is stored (201), or NOT_PERSISTED_YET (503, retry with the uuid);
 * `member`: whose right to post the store checks again as it writes it (ADR 035).
 * A retry is not looked up here: the backend deduplicates by uuid anyway, so it answers with the
 * stored message (`replayed`), or CONFLICT when the uuid is another sender's (ADR 024).
 */
export async function queueDraft(deps: PostDeps, conversation: ConversationKey, draft: MessageDraft, member?: number): Promise<PostResult> {
  try {
    return await deps.ingress.persist({ kind: 'post', conversation, uuid: draft.uuid, actor: draft.user, draft, ...(member !== undefined ? { member } : {}) });
  } catch (err) {
    throw err instanceof AppError && err.code === 'CONFLICT' ? uuidTakenError(draft.uuid) : err;
  }
}

/** Resolves the parent, the thread and the tags of a parsed post, and queues it. */
export async function submitPost(deps: PostDeps, ctx: PostContext, input: PostInput): Promise<PostResult> {
  const { conversation, source } = ctx;
  const sender = senderOf(ctx, input.external_user_name);
  const uuid = input.uuid ?? randomUUID();
  let content = input.content ?? null;
  let attachments = input.attachments ?? [];
  const extraTags: string[] = [];
  if (input.event === 'file') {
    if (!deps.files) throw validationError({ event: ['file uploads go through the REST API (POST …/messages)'] });
    // The file's id comes from the post's identity, so a retried upload overwrites the same file, never orphans one.
    const attachment = await deps.files.store(conversation, FileUploads.fileId(conversation, sender.user, uuid), input.content);
    content = attachment;
    attachments = [attachment];
    extraTags.push(':file');
  }
  let threadId = ctx.threadId ?? input.thread_id;
  if (input.event === 'comment') {
    const parent = await deps.store.get(conversation, input.message!);
    if (!parent) throw notFound('message');
    if (parent.event === 'comment') throw validationError({ message: ['must be a message, not a comment'] });
    content = { title: textOf(parent.content).slice(0, 200) || parent.event, text: input.content };
    extraTags.push(`influx:${parent.id}`);
    threadId ??= parent.thread_id;
  }
  if (input.external_thread_id && !threadId) {
    threadId = externalThreadId(conversation, input.external_thread_id, source);
    if (!input.thread && !(await deps.store.getThread(conversation, threadId))) throw validationError({ thread: ['is required to start a thread'] });
  } else if (threadId && !(await deps.store.getThread(conversation, threadId))) {
    throw notFound('thread');
  }
  const thread = input.thread && source ? { ...input.thread, source: threadSourceOf(source) } : input.thread;

  const draft: MessageDraft = {
    uuid,
    event: input.event,
    content,
    tags: [...deriveTags(input.tags ?? [], typeof input.content === 'string' ? input.content : null, ctx.members, ctx.senderId), ...extraTags],
    ...sender,
    ...ctx.address,
    sent: Date.now(),
    app: input.app ?? (input.event === 'comment' || input.event === 'activity' || input.event === 'discussion' ? 'influx' : 'chat'),
    attachments,
    ...(threadId ? { thread_id: threadId } : {}),
    ...(thread ? { thread } : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.author ? { author: input.author } : {}),
  };
  await ctx.accept?.();
  return queueDraft(deps, conversation, draft, ctx.member);
}
