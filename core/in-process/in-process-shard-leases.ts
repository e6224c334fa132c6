/**
 * InProcessShardLeases: shard leases in memory. Several workers contend on one InProcessLeaseTable
 * (what the Postgres server is to PostgresShardLeases); each acquisition bumps the shard's
 * fencing token, which an InProcessMessageStore reads through its `leaseToken` option.
 */
import type { Lease, ShardLeases } from '../ports/shard-lease';

/** The lock table that in-process workers share: who holds each shard, and each shard's token. */
export class InProcessLeaseTable {
  /** @internal shard → the worker holding it */
  readonly holders = new Map<number, InProcessShardLeases>();
  /** @internal shard → last token handed out */
  readonly tokens = new Map<number, number>();

  /** The shard's current fencing token; undefined when it was never leased. */
  token(shard: number): number | undefined {
    return this.tokens.get(shard);
  }
}

/** One worker's leases (as one Postgres session holds its advisory locks). */
export class InProcessShardLeases implements ShardLeases {
  private readonly lostListeners: ((shard: number) => void)[] = [];

  constructor(readonly table: InProcessLeaseTable = new InProcessLeaseTable()) {}

  async tryAcquire(shard: number): Promise<Lease | null> {
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
    for (const shard of this.held()) {
      this.table.holders.delete(shard);
      for (const l of this.lostListeners) l(shard);
    }
  }

  async close(): Promise<void> {
    for (const shard of this.held()) this.table.holders.delete(shard);
  }

  private held(): number[] {
    return [...this.table.holders].filter(([, holder]) => holder === this).map(([shard]) => shard);
  }
}
