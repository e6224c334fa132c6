/** How many chat messages a user has not read in a conversation, from their read marker (docs/api.md "Read markers"). */
import type { ConversationKey } from '../domain/types';
import type { ReadMarkerStore } from '../ports/read-marker-store';
import type { MessageStore } from '../ports/message-store';

/** Counted up to this many: a badge says "99+" long before, and the count stays one bounded query. */
export const UNREAD_CAP = 100;

export interface Unread {
  /** Chat messages by others after the marker (all of them when never marked), at most UNREAD_CAP. */
  count: number;
  lastReadId: number | null;
  /**
   * The newest chat message the count looked at (the marker, or 0, when none came after it). Ids
   * of a conversation are stored in order, so the events after it are exactly what the count does
   * not hold: a live subscription resumed from here (`since`) counts each later message once.
   */
  throughId: number;
}

export async function unreadIn(deps: { directory: { readMarkers: ReadMarkerStore }; store: MessageStore }, userId: number, conversation: ConversationKey): Promise<Unread> {
  const marker = (await deps.directory.readMarkers.readMarkers(userId, [conversation])).get(conversation);
  const after = await deps.store.list(conversation, { events: ['message'], limit: UNREAD_CAP, ...(marker ? { sinceId: marker } : {}) });
  const me = String(userId);
  return { count: after.filter((m) => m.user !== me).length, lastReadId: marker ?? null, throughId: after.at(-1)?.id ?? marker ?? 0 };
}
