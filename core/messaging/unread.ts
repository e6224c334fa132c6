/** How many chat messages and files a user has not read in a conversation, from their read marker (docs/api.md "Read markers"). */
import type { ConversationKey } from '../domain/types';
import type { ReadMarkerStore } from '../ports/read-marker-store';
import type { MessageStore } from '../ports/message-store';

/** Counted up to this many: a badge says "99+" long before, and the count stays one bounded query. */
export const UNREAD_CAP = 100;

/** What counts as unread: what the chat shows as a line of its own (a file is one), not statuses, actions or edits. */
export const UNREAD_EVENTS = ['message', 'file'];

export interface Unread {
  /** Chat messages and files by others after the marker (all of them when never marked), at most UNREAD_CAP. */
  count: number;
  lastReadId: number | null;
  /**
   * The conversation's newest event (of any kind; 0 when empty) when counted: the count holds the
   * messages and files up to it and none after. Ids of a conversation become visible in order, so a
   * live subscription resumed from here (`since`) delivers exactly what the count does not hold.
   */
  throughId: number;
}

export async function unreadIn(deps: { directory: { readMarkers: ReadMarkerStore }; store: MessageStore }, userId: number, conversation: ConversationKey): Promise<Unread> {
  const [markers, throughId] = await Promise.all([deps.directory.readMarkers.readMarkers(userId, [conversation]), deps.store.lastId(conversation)]);
  const marker = markers.get(conversation);
  // Bounded by the newest id read first: a message stored meanwhile is after `throughId`, not counted here.
  const after = await deps.store.list(conversation, { events: UNREAD_EVENTS, notByUser: String(userId), limit: UNREAD_CAP, ...(marker ? { sinceId: marker } : {}), untilId: throughId + 1 });
  return { count: after.length, lastReadId: marker ?? null, throughId };
}
