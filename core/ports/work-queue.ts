/** WorkQueue: the durable, sharded queue between the API edges and the message backend (Redis Streams). */

export interface QueueEntry {
  /** Opaque, increasing within a shard. */
  cursor: string;
  payload: string;
}

export interface WorkQueue {
  /** Appends an entry to a shard; resolves once the queue holds it. */
  append(shard: number, payload: string): Promise<void>;
  /**
   * Entries after the given cursors (null = from the oldest held), up to `count` per shard; waits up
   * to `blockMs` when none are ready. Keys of the result are shard numbers.
   */
  read(after: Map<number, string | null>, count: number, blockMs: number): Promise<Map<number, QueueEntry[]>>;
  /** Drops every entry of the shard up to and including `cursor` (they are persisted). */
  release(shard: number, cursor: string): Promise<void>;
  /** Number of entries held by a shard (queue depth metric). */
  depth(shard: number): Promise<number>;
  close(): Promise<void>;
}
