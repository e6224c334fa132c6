/** Summarizes what the managers published in ZooKeeper (record, views, leader) into the status the CLI shows. */
import type { ManagerView, NodeAddress, NodeObservation } from '../core/discovery/failover-state';
import { type FailoverState, knownNodes } from './failover-znodes';
import { replicationLag } from './replication-lag';

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

/** One manager as the others see it. */
export interface ManagerSummary {
  managerId: string;
  /** Registered (its `managers` znode is there) and its view is fresh: it is alive and checking. */
  up: boolean;
  /** Why it is shown down ("view 4.2 s old", "znode gone"); null when up. */
  down: string | null;
  /** Holds the lowest `managers` znode: it leads if it is up, and nobody leads if it is not. */
  holdsLead: boolean;
  /** Its view is younger than {@link VIEW_STALE_MS}. */
  fresh: boolean;
  viewAgeMs: number | null;
  lastAction: string | null;
}

export interface FailoverSummary {
  master: NodeAddress | null;
  epoch: number | null;
  changedAt: string | null;
  reason: string | null;
  /** The leading manager, only when it is up: a dead or hung manager is never named here. */
  leader: string | null;
  /** Why no manager is named leader although one holds the lead ("m1 holds the lead but is down: view 4.2 s old"); null otherwise. */
  leaderDown: string | null;
  managers: ManagerSummary[];
  nodes: NodeSummary[];
}

/**
 * A view older than this is shown but not counted, and its manager is shown down: a running
 * manager rewrites its view at least every second (loop.ts), so three missed rewrites mean it is
 * hung, killed or cut off — usually before ZooKeeper expires its session and its znodes go.
 */
export const VIEW_STALE_MS = 3000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Every manager registered, viewing, or (`remembered`) seen before by the caller, each up or down with the reason. */
function summarizeManagers(state: FailoverState, now: number, remembered: ReadonlyMap<string, number>): ManagerSummary[] {
  const registered = new Set(state.registrations.map((r) => r.managerId));
  const views = new Map(state.views.map((v) => [v.managerId, v]));
  const ids = [...new Set([...registered, ...views.keys(), ...remembered.keys()])].sort();
  return ids.map((managerId): ManagerSummary => {
    const view = views.get(managerId);
    const viewAgeMs = view ? Math.max(0, now - view.at) : null;
    const fresh = viewAgeMs !== null && viewAgeMs < VIEW_STALE_MS;
    const down = !registered.has(managerId)
      ? `znode gone${view ? '' : ` (last seen ${new Date(remembered.get(managerId) ?? now).toISOString()})`}`
      : viewAgeMs === null ? 'no view published' : fresh ? null : `view ${seconds(viewAgeMs)} old`;
    return { managerId, up: down === null, down, holdsLead: managerId === state.leaderId, fresh, viewAgeMs, lastAction: view?.lastAction ?? null };
  });
}

/** `remembered`: managers the caller saw before (id → when), shown down when they are gone from ZooKeeper. */
export function summarize(state: FailoverState, now = Date.now(), remembered: ReadonlyMap<string, number> = new Map()): FailoverSummary {
  const fresh = state.views.filter((v) => now - v.at < VIEW_STALE_MS);
  // Role and offset from the leader's view when it is fresh (it is the one acting), else the newest.
  const primary: ManagerView | undefined =
    fresh.find((v) => v.managerId === state.leaderId) ?? [...state.views].sort((a, b) => b.at - a.at)[0];
  const record = state.record?.value ?? null;
  const nodes = knownNodes(state).map((address): NodeSummary => {
    const o = primary?.nodes[address];
    const upVotes = fresh.filter((v) => v.nodes[address]?.up).length;
    const lag = primary ? replicationLag(primary.nodes, record?.master ?? null, address) : null;
    return { address, role: o?.role ?? 'unknown', up: fresh.length > 0 && upVotes * 2 > fresh.length, offset: o?.offset ?? -1, lag, seenUpBy: `${upVotes} of ${fresh.length}` };
  });
  const managers = summarizeManagers(state, now, remembered);
  const holder = managers.find((m) => m.holdsLead);
  return {
    master: record?.master ?? null, epoch: record?.epoch ?? null, changedAt: record?.changedAt ?? null, reason: record?.reason ?? null,
    leader: holder?.up ? holder.managerId : null,
    leaderDown: holder && !holder.up ? `${holder.managerId} holds the lead but is down: ${holder.down}` : null,
    managers,
    nodes,
  };
}
