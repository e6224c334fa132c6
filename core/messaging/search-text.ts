/** Search-text and tag normalising shared by every message store engine, so that they all match alike. */
import type { ConversationKey, MessageJson } from '../domain/types';

/**
 * Keys of object content that hold words a person wrote: comments `{title, text}`, actions
 * `{type, description}`, files `{file_name, …}`. Other keys (paths, content types, ids) would
 * only produce false hits, so they stay out.
 */
const TEXT_CONTENT_KEYS = ['title', 'text', 'description', 'file_name', 'updated_content'] as const;

const HTML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/** Plain text of an HTML fragment (integration `title`/`body`): tags dropped, common entities decoded. */
export function htmlToText(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (e) => HTML_ENTITIES[e] ?? e);
}

/** The lowercase form every engine stores and compares tags in (tags match case-insensitively). */
export function normalizeTag(tag: string): string {
  return tag.toLowerCase();
}

/** Lowercased, de-duplicated tags, in first-seen order. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(normalizeTag))];
}

/** Search keywords as stored text is compared: lowercased, blanks dropped. */
export function normalizeKeywords(keywords: readonly string[]): string[] {
  return keywords.map((k) => k.trim().toLowerCase()).filter((k) => k.length > 0);
}

function contentText(content: unknown, depth = 0): string[] {
  if (typeof content === 'string') return [content];
  // Depth 1 reaches `updated_content: {title, text}` of message-edit events, and no further.
  if (content === null || typeof content !== 'object' || Array.isArray(content) || depth > 1) return [];
  const record = content as Record<string, unknown>;
  return TEXT_CONTENT_KEYS.flatMap((key) => contentText(record[key], depth + 1));
}

/**
 * The lowercased plain text that keyword search looks in: string content as is, the text fields
 * of object content (comments, actions, files), and the HTML `title`/`body` of integration
 * messages (activity, discussion) as plain text.
 */
export function messageSearchText(message: MessageJson): string {
  const parts = contentText(message.content);
  for (const field of [message.title, message.body]) {
    if (typeof field === 'string') parts.push(htmlToText(field));
  }
  return parts.join('\n').toLowerCase();
}

/** The columns/fields every engine indexes a message by, next to the message JSON itself. */
export interface MessageIndexFields {
  conversation: ConversationKey;
  id: number;
  uuid: string;
  event: string;
  sent: number;
  thread_id: string | null;
  tags_lc: string[];
  search_text: string;
}

/** Derives the indexed fields of a stored message. */
export function messageIndexFields(conversation: ConversationKey, message: MessageJson): MessageIndexFields {
  return {
    conversation,
    id: message.id,
    uuid: message.uuid,
    event: message.event,
    sent: message.sent,
    thread_id: message.thread_id ?? null,
    tags_lc: normalizeTags(message.tags ?? []),
    search_text: messageSearchText(message),
  };
}
