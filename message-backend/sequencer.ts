/**
 * Sequencer: hands out per-conversation message ids, strictly increasing in persist order. Only
 * the shard's owner numbers its conversations, so a cached "last id" is exact while the lease is
 * held; it is dropped when a shard changes hands or a write fails.
 */
import type { MessageStore } from '../core/ports/message-store';

export class Sequencer {
  private readonly last = new Map<string, number>();

  constructor(private readonly store: MessageStore) {}

  /**
   * The last id stored for a conversation, from the cache or else the store. Reserves nothing: the
   * batch builder numbers from it, and `commit` advances it only once the batch is stored.
   */
  async peek(conversation: string): Promise<number> {
    let last = this.last.get(conversation);
    if (last === undefined) {
      last = await this.store.lastId(conversation);
      this.last.set(conversation, last);
    }
    return last;
  }

  /** The batch ending at `lastId` is stored: the next batch numbers after it. */
  commit(conversation: string, lastId: number): void {
    this.last.set(conversation, lastId);
  }

  /** Forgets every cached id (the shard changed hands or a write failed): the next `peek` asks the store. */
  clear(): void {
    this.last.clear();
  }
}
