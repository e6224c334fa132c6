/** The SessionStore and ReadMarkerStore sides of a Directory, handed to their own classes: both directories extend this instead of repeating the delegation. */
import type { ConversationKey } from './domain/types';
import type { ReadMarkerStore } from './ports/read-marker-store';
import { SessionStoreDelegate } from './session-store-delegate';

export abstract class ReadMarkerDelegate extends SessionStoreDelegate implements ReadMarkerStore {
  /** The implementation the directory built (core/in-process/in-process-read-markers.ts, infra/postgres/directory/postgres-read-markers.ts). */
  protected abstract readonly readMarkerStore: ReadMarkerStore;

  markRead(userId: number, conversation: ConversationKey, messageId: number): Promise<number> {
    return this.readMarkerStore.markRead(userId, conversation, messageId);
  }

  readMarkers(userId: number, conversations: readonly ConversationKey[]): Promise<Map<ConversationKey, number>> {
    return this.readMarkerStore.readMarkers(userId, conversations);
  }
}
