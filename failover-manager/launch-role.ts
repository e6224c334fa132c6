/**
 * What a managed Redis node starts as (ADR 010): the failover managers' record decides, the
 * provisioning attributes only seed a group that has no record yet. Pure: the launcher
 * (cli/redis-launch.ts) reads the record and starts redis-server with the answer.
 */
import type { MasterRecord, NodeAddress } from '../core/discovery/failover-state';

/** The node's role at start: `replicaof` null means master. */
export interface LaunchRole {
  replicaof: NodeAddress | null;
  /** One sentence, printed by the launcher: why this role. */
  why: string;
}

/**
 * - No record (managers not running yet, or not configured): the seed — master, or replica of
 *   the seeded master.
 * - The record names another node: a replica of it, whatever the seed says.
 * - The record names this node: it was the master and restarted, so what it holds is not what
 *   was acknowledged. It starts *fenced*, as a replica of itself: read-only, never linked, and it
 *   refuses to feed any replica (NOMASTERLINK), until the managers promote the best replica and
 *   repoint it.
 */
export function launchRole(self: NodeAddress, seed: NodeAddress | null, record: MasterRecord | null): LaunchRole {
  if (!record) {
    return seed
      ? { replicaof: seed, why: `no master record yet: replica of ${seed}, as the attributes seed it` }
      : { replicaof: null, why: 'no master record yet: master, as the attributes seed it' };
  }
  if (record.master === self) {
    return {
      replicaof: self,
      why: `the master record (epoch ${record.epoch}) names this node, so it restarted as master: fenced as a replica of itself until the failover managers promote a replica and repoint it`,
    };
  }
  return { replicaof: record.master, why: `replica of ${record.master}, the master the failover managers recorded (epoch ${record.epoch})` };
}
