/** ShardLease: exclusive ownership of a queue shard by one message-backend worker, with a fencing token. */

export interface Lease {
  shard: number;
  /** Grows with every acquisition of the shard; stores refuse writes under an older token. */
  token: number;
}

export interface ShardLeases {
  /** Tries to take the shard; null when another worker owns it. */
  tryAcquire(shard: number): Promise<Lease | null>;
  release(lease: Lease): Promise<void>;
  /** Called when a held lease is lost (connection to the lock holder gone). */
  onLost(listener: (shard: number) => void): void;
  close(): Promise<void>;
}
