/** WorkQueue: the durable, sharded queue between the API edges and the message backend (Redis Streams), with its dead letters. */

export interface QueueEntry {
  /** Opaque, increasing within a shard. */
  cursor: string;
  payload: string;
}

/** Why an entry is set aside: the store's last error and how many times it was tried. */
export interface DeadLetterFailure {
  error: string;
  attempts: number;
}

/** A queue entry the message backend could not persist, kept (payload intact) until an operator requeues or drops it. */
export interface DeadLetter extends DeadLetterFailure {
  /** Opaque id, unique among the queue's dead letters. */
  id: string;
  /** The shard the entry was read from (and is requeued onto). */
  shard: number;
  payload: string;
  /** When it was set aside (ISO 8601). */
  at: string;
}

export interface WorkQueue {
  /** Appends an entry to a shard; resolves once the queue holds it. */
  append(shard: number, payload: string): Promise<void>;
  /**
   * Entries after the given cursors (null = from the oldest held), up to `count` per shard; waits up
   * to `blockMs` when none are ready. Keys of the result are shard numbers. Reads may wait
   * concurrently, each returning when one of its own shards gets an entry (the message backend has
   * one waiting read per owned shard). Aborting `signal` ends the wait at once, even when the abort
   * comes before the read reached the server (the backend's stop).
   */
  read(after: Map<number, string | null>, count: number, blockMs: number, signal?: AbortSignal): Promise<Map<number, QueueEntry[]>>;
  /** Drops every entry of the shard up to and including `cursor` (they are persisted or dead-lettered). */
  release(shard: number, cursor: string): Promise<void>;
  /** Number of entries held by a shard (queue depth metric). */
  depth(shard: number): Promise<number>;
  /**
   * Keeps a copy of the entry among the dead letters; resolves once it is held there. The caller
   * releases the entry from its shard afterwards, so nothing is lost between the two.
   */
  deadLetter(shard: number, entry: QueueEntry, failure: DeadLetterFailure): Promise<DeadLetter>;
  /** Dead letters of every shard, oldest first, at most `limit`. */
  deadLetters(limit: number): Promise<DeadLetter[]>;
  /** Number of dead letters held (the dead-letter gauge). */
  deadLetterCount(): Promise<number>;
  /** Appends the dead letter's payload back onto its shard and forgets it; null when there is no such id. */
  requeueDeadLetter(id: string): Promise<DeadLetter | null>;
  /** Forgets a dead letter for good; false when there is no such id. */
  dropDeadLetter(id: string): Promise<boolean>;
  close(): Promise<void>;
}
