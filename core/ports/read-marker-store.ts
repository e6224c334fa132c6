/**
 * ReadMarkerStore: how far each user has read in each conversation (a Tributary extension; Flowdock
 * has no general read marker: docs/api.md "Read markers", docs/adr/018-app-reading.md). A marker
 * only moves forward, so two devices marking at once, or an old tab, never un-read anything.
 */
import type { ConversationKey } from '../domain/types';

export interface ReadMarkerStore {
  /** Moves `userId`'s marker in `conversation` to `messageId` unless it is already further; returns the marker now. */
  markRead(userId: number, conversation: ConversationKey, messageId: number): Promise<number>;
  /** The user's markers in these conversations; a conversation never marked is absent. */
  readMarkers(userId: number, conversations: readonly ConversationKey[]): Promise<Map<ConversationKey, number>>;
}
