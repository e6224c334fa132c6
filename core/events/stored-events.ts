/** Builders of the stored events: posted messages, edits, deletions and tag changes, as the message backend numbers them. */
import type { MessageJson } from '../domain/types';
import type { MessageDraft } from '../messaging/commands';
import type { InboxItemContent, MessageEditEvent, PostedMessage, StoredEvent, TagChangeEvent } from './event-types';

/** Who, where, which number and when: what every event an edit or delete produces shares. */
export interface StoredEventHead {
  id: number;
  uuid: string;
  /** The acting user (string id). */
  user: string;
  address: { flow: string } | { to: string };
  now: Date;
}

function stored<E extends string, C>(head: StoredEventHead, event: E, content: C) {
  const { id, uuid, user, address, now } = head;
  return { id, uuid, event, content, tags: [], user, ...address, sent: now.getTime(), created_at: now.toISOString(), edited: null, app: 'chat', attachments: [] };
}

/** A posted draft as stored: numbered, timestamped, not edited. The thread input is the backend's to merge, not part of the message. */
export function postedMessage(draft: Omit<MessageDraft, 'thread'>, id: number, now: Date): PostedMessage {
  return { ...draft, id, created_at: now.toISOString(), edited: null } as PostedMessage;
}

/** The fields of a v1 team inbox push (spec §5), already validated. */
export interface InboxPush {
  source: string;
  project?: string | undefined;
  subject: string;
  content: string;
  from_address: string;
  from_name?: string | undefined;
  reply_to?: string | undefined;
  link?: string | undefined;
}

/** The content of a `mail` (team inbox) event from a v1 push. */
export function inboxItemContent(push: InboxPush): InboxItemContent {
  return {
    source: push.source,
    project: push.project ?? null,
    subject: push.subject,
    content: push.content,
    from: [{ address: push.from_address, name: push.from_name ?? null }],
    replyTo: push.reply_to ? [{ address: push.reply_to }] : [],
    link: push.link ?? null,
    format: 'html',
  };
}

/** The tags of an inbox item besides the pushed ones: `:source:<name>` (spec §2.9, legacy inbox), `:url` when it links somewhere. */
export function inboxItemTags(push: InboxPush): string[] {
  return [`:source:${push.source.toLowerCase()}`, ...(push.link ? [':url'] : [])];
}

/** `message-edit`: message `target` now has `updatedContent`. */
export function messageEditEvent(head: StoredEventHead, target: number, updatedContent: unknown): MessageEditEvent {
  return stored(head, 'message-edit', { message: target, updated_content: updatedContent });
}

/** `message-edit` with `deleted: true`: message `target` was emptied by its author. */
export function messageDeleteEvent(head: StoredEventHead, target: number, emptiedContent: unknown): MessageEditEvent {
  return stored(head, 'message-edit', { message: target, updated_content: emptiedContent, deleted: true as const });
}

/** `tag-change`: tags added to and removed from message `target`. */
export function tagChangeEvent(head: StoredEventHead, target: number, add: string[], remove: string[]): TagChangeEvent {
  return stored(head, 'tag-change', { message: target, add, remove });
}

/**
 * A message read back from the store as the event it was. Safe because the store holds only
 * what the builders above produced (the backend is its only writer).
 */
export function asStoredEvent(message: MessageJson): StoredEvent {
  return message as StoredEvent;
}
