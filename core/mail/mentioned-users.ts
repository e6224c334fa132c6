/**
 * Whom a stored message mentions, for mention mails: the users its tags name — `:user:<id>` (what
 * Flowdock clients set for @nick) and `:unread:<id>` (what @nick and @everyone leave for each member,
 * core/messaging/tags.ts) — less its author. Only flow chat messages and comments count: a bot's
 * inbox item or a private message notifies no one by mail.
 */
import type { MessageJson } from '../domain/types';
import type { MentionRecord } from '../ports/mention-notices';

const USER_ID = '[1-9][0-9]{0,15}';
const USER_TAG = new RegExp(`^:(?:user|unread):(${USER_ID})$`);
/** Anything else in `user` ("0", or what an old import left) is no author to leave out; it must never reach the store as a number it is not. */
const AUTHOR = new RegExp(`^${USER_ID}$`);
const NOTIFYING_EVENTS = new Set(['message', 'comment']);

export function mentionOf(message: MessageJson): MentionRecord | null {
  if (!message.flow || !NOTIFYING_EVENTS.has(message.event)) return null;
  const author = AUTHOR.test(message.user) ? Number(message.user) : null;
  const ids = new Set<number>();
  for (const tag of message.tags) {
    const m = USER_TAG.exec(tag);
    if (m) ids.add(Number(m[1]));
  }
  if (author !== null) ids.delete(author);
  return ids.size ? { flowId: message.flow, messageId: message.id, userIds: [...ids], authorId: author } : null;
}
