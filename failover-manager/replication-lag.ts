/** How far a replica is behind its master, from one manager's observations (status, the CLI and metrics share it). */
import type { NodeAddress, NodeObservation } from '../core/discovery/failover-state';

/**
 * Master offset minus the replica's, in bytes; null for the master itself, for a node that is no
 * replica, or when either offset is unknown. The two offsets come from checks a few ms apart, so a
 * replica that is level can read a little ahead: that counts as 0, not as a negative lag.
 */
export function replicationLag(nodes: Readonly<Record<NodeAddress, NodeObservation | undefined>>, master: NodeAddress | null, node: NodeAddress): number | null {
  if (master === null || node === master) return null;
  const masterOffset = nodes[master]?.offset ?? -1;
  const o = nodes[node];
  if (o?.role !== 'replica' || masterOffset < 0 || o.offset < 0) return null;
  return Math.max(0, masterOffset - o.offset);
}
