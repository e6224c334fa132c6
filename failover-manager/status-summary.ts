/** Summarizes what the managers published in ZooKeeper (record, views, leader) into the status the CLI shows. */
import type { ManagerView, NodeAddress, NodeObservation } from '../core/discovery/failover-state';
import { type FailoverState, knownNodes } from './failover-znodes';

/** One node as the managers see it. */
export interface NodeSummary {
  address: NodeAddress;
  role: NodeObservation['role'];
  /** True unless a majority of the managers with a fresh view see it down. */
  up: boolean;
  offset: number;
  /** Master offset minus this replica's; null for the master or when unknown. */
  lag: number | null;
  /** "3 of 3": how many fresh views see it up. */
  seenUpBy: string;
}

export interface FailoverSummary {
  master: NodeAddress | null;
  epoch: number | null;
  changedAt: string | null;
  reason: string | null;
  leader: string | null;
  managers: { managerId: string; fresh: boolean; lastAction: string | null }[];
  nodes: NodeSummary[];
}

/** A view older than this is shown but not counted (its manager may be stuck or partitioned). */
export const VIEW_STALE_MS = 5000;

export function summarize(state: FailoverState, now = Date.now()): FailoverSummary {
  const fresh = state.views.filter((v) => now - v.at < VIEW_STALE_MS);
  // Role and offset from the leader's view when it is fresh (it is the one acting), else the newest.
  const primary: ManagerView | undefined =
    fresh.find((v) => v.managerId === state.leaderId) ?? [...state.views].sort((a, b) => b.at - a.at)[0];
  const record = state.record?.value ?? null;
  const masterOffset = record ? (primary?.nodes[record.master]?.offset ?? -1) : -1;
  const nodes = knownNodes(state).map((address): NodeSummary => {
    const o = primary?.nodes[address];
    const upVotes = fresh.filter((v) => v.nodes[address]?.up).length;
    const offset = o?.offset ?? -1;
    const lag = o?.role === 'replica' && masterOffset >= 0 && offset >= 0 ? masterOffset - offset : null;
    return { address, role: o?.role ?? 'unknown', up: fresh.length > 0 && upVotes * 2 > fresh.length, offset, lag, seenUpBy: `${upVotes} of ${fresh.length}` };
  });
  return {
    master: record?.master ?? null, epoch: record?.epoch ?? null, changedAt: record?.changedAt ?? null, reason: record?.reason ?? null,
    leader: state.leaderId,
    managers: state.views.map((v) => ({ managerId: v.managerId, fresh: now - v.at < VIEW_STALE_MS, lastAction: v.lastAction ?? null })),
    nodes,
  };
}
