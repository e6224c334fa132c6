/**
 * InProcessShardLeases: shard leases in memory. Several workers contend on one InProcessLeaseTable
 * (what the Postgres server is to PostgresShardLeases); each acquisition bumps the shard's
 * fencing token, which an InProcessMessageStore reads through its `leaseToken` option.
 */
import type { Lease, LeaseWorkers, ShardLeases } from '../ports/shard-lease';

/** The lock table that in-process workers share: who holds each shard, and each shard's token. */
export class InProcessLeaseTable {
  /** @internal shard → the worker holding it */
  readonly holders = new Map<number, InProcessShardLeases>();
  /** @internal shard → last token handed out */
  readonly tokens = new Map<number, number>();
  /** @internal the workers taking part, in the order they joined */
  readonly workers = new Set<InProcessShardLeases>();
  /** @internal hands out worker ids */
  nextWorker = 1;

  /** The shard's current fencing token; undefined when it was never leased. */
  token(shard: number): number | undefined {
    return this.tokens.get(shard);
  }
}

/** One worker's leases (as one Postgres session holds its advisory locks). */
export class InProcessShardLeases implements ShardLeases {
  private readonly lostListeners: ((shard: number) => void)[] = [];
  /** This worker's id while it takes part (as a Postgres session's worker lock); a new one after a loss. */
  private id: string | null = null;

  constructor(readonly table: InProcessLeaseTable = new InProcessLeaseTable()) {}

  async workers(): Promise<LeaseWorkers> {
    this.join();
    return { self: this.id!, all: [...this.table.workers].map((w) => w.id!) };
  }

  async tryAcquire(shard: number): Promise<Lease | null> {
    this.join();
    const holder = this.table.holders.get(shard);
    if (holder && holder !== this) return null;
    const token = (this.table.tokens.get(shard) ?? 0) + 1;
    this.table.tokens.set(shard, token);
    this.table.holders.set(shard, this);
    return { shard, token };
  }

  async release(lease: Lease): Promise<void> {
    if (this.table.holders.get(lease.shard) === this) this.table.holders.delete(lease.shard);
  }

  onLost(listener: (shard: number) => void): void {
    this.lostListeners.push(listener);
  }

  /** What a lost database session does: every lease of this worker is freed and its listeners are told. */
  loseAll(): void {
    this.leave();
    for (const shard of this.held()) {
      this.table.holders.delete(shard);
      for (const l of this.lostListeners) l(shard);
    }
  }

  async close(): Promise<void> {
    this.leave();
    for (const shard of this.held()) this.table.holders.delete(shard);
  }

  private join(): void {
    if (this.id !== null) return;
    this.id = String(this.table.nextWorker++).padStart(10, '0'); // sorts as joined
    this.table.workers.add(this);
  }

  private leave(): void {
    this.table.workers.delete(this);
    this.id = null;
  }

  private held(): number[] {
    return [...this.table.holders].filter(([, holder]) => holder === this).map(([shard]) => shard);
  }
}
