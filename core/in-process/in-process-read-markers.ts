/** The in-process ReadMarkerStore behind `InProcessDirectory.readMarkers`: markers in a Map keyed `user id␟conversation`. */
import type { ConversationKey } from '../domain/types';
import { notFound } from '../errors';
import type { ReadMarkerStore } from '../ports/read-marker-store';
import { requireMessageId } from '../read-markers';

export class InProcessReadMarkers implements ReadMarkerStore {
  private readonly markers = new Map<string, number>();

  /** `userExists` keeps the in-process rules the Postgres foreign key gives. */
  constructor(private readonly userExists: (userId: number) => boolean) {}

  async markRead(userId: number, conversation: ConversationKey, messageId: number): Promise<number> {
    requireMessageId(messageId);
    if (!this.userExists(userId)) throw notFound('user');
    const key = `${userId}\u241f${conversation}`;
    const marker = Math.max(this.markers.get(key) ?? 0, messageId);
    this.markers.set(key, marker);
    return marker;
  }

  async readMarkers(userId: number, conversations: readonly ConversationKey[]): Promise<Map<ConversationKey, number>> {
    const found = new Map<ConversationKey, number>();
    for (const c of conversations) {
      const marker = this.markers.get(`${userId}\u241f${c}`);
      if (marker !== undefined) found.set(c, marker);
    }
    return found;
  }
}
