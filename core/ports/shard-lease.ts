/** ShardLease: exclusive ownership of a queue shard by one message-backend worker, with a fencing token. */

export interface Lease {
  shard: number;
  /** Grows with every acquisition of the shard; stores refuse writes under an older token. */
  token: number;
}

/** The workers that share a set of leases now, this one included. */
export interface LeaseWorkers {
  /** This worker's id. */
  self: string;
  /** Every live worker's id, in one order all workers agree on; `self` is among them. */
  all: string[];
}

export interface ShardLeases {
  /** Tries to take the shard; null when another worker owns it. */
  tryAcquire(shard: number): Promise<Lease | null>;
  release(lease: Lease): Promise<void>;
  /**
   * The workers sharing these leases now — this one from its first call on, until it closes or
   * loses its connection — so that each can hold its fair share of the shards (ADR 034).
   */
  workers(): Promise<LeaseWorkers>;
  /** Called when a held lease is lost (connection to the lock holder gone). */
  onLost(listener: (shard: number) => void): void;
  close(): Promise<void>;
}
