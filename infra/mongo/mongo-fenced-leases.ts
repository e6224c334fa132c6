/** Shard leases whose fencing tokens are mirrored into MongoDB, where the Mongo message store checks them. */
import type { Lease, ShardLeases } from '../../core/ports/shard-lease';
import type { MongoMessageStore } from './mongo-message-store';

export function mirrorLeasesTo(store: MongoMessageStore, leases: ShardLeases): ShardLeases {
  return {
    async tryAcquire(shard: number): Promise<Lease | null> {
      const lease = await leases.tryAcquire(shard);
      // The new token must be in place before this owner's first write, so that a stale owner's fails;
      // if it cannot be, the lease is given back rather than kept by nobody.
      if (lease) {
        try {
          await store.recordLeaseToken(lease.shard, lease.token);
        } catch (err) {
          await leases.release(lease).catch(() => undefined);
          throw err;
        }
      }
      return lease;
    },
    release: (lease) => leases.release(lease),
    workers: () => leases.workers(),
    onLost: (listener) => leases.onLost(listener),
    close: () => leases.close(),
  };
}
