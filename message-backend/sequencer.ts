/**
 * Sequencer: hands out per-conversation message ids, strictly increasing in persist order. Only
 * the shard's owner numbers its conversations, so a cached "last id" is exact while the lease is
 * held; it is dropped when a shard changes hands or a write fails.
 */
import type { MessageStore } from '../core/ports/message-store';

export class Sequencer {
  private readonly last = new Map<string, number>();

  constructor(private readonly store: MessageStore) {}

  /** Reserves the next ids for a conversation; `commit` makes them final once the batch is stored. */
  async peek(conversation: string): Promise<number> {
    let last = this.last.get(conversation);
    if (last === undefined) {
      last = await this.store.lastId(conversation);
      this.last.set(conversation, last);
    }
    return last;
  }

  commit(conversation: string, lastId: number): void {
    this.last.set(conversation, lastId);
  }

  forget(conversations: Iterable<string>): void {
    for (const c of conversations) this.last.delete(c);
  }

  clear(): void {
    this.last.clear();
  }
}
