/**
 * What `GET /status` answers: the loop's latest account plus this manager's view of ZooKeeper,
 * built from state in memory only — no ZooKeeper or Redis call on the request path, so it answers
 * at once whatever ZooKeeper or the nodes are doing, and says how old what it shows is.
 */
import type { Coordinator } from './coordinator';
import type { SessionState } from './failover-events';
import type { FailoverLoop, LoopStatus } from './loop';
import { type ManagerSummary, summarize, VIEW_STALE_MS } from './status-summary';

export interface ManagerStatus extends LoopStatus {
  zookeeper: {
    connectString: string;
    state: SessionState;
    /** ISO-8601 of the last state change. */
    since: string;
    /** How long ZooKeeper has been out of reach (ms), null while connected. */
    unreachableForMs: number | null;
  };
  /** When the ZooKeeper state shown (leader, managers, record) was read (ISO-8601), and its age; null before the first read. */
  viewAsOf: string | null;
  viewAgeMs: number | null;
  /** Why no leader is named although a manager holds the lead; null otherwise. */
  leaderDown: string | null;
  managers: ManagerSummary[];
  /** One plain sentence when what is shown may be out of date (ZooKeeper unreachable, a stuck loop); null otherwise. */
  notice: string | null;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The status of this manager now. `leader` is named only while we are connected and it is up. */
export function managerStatus(loop: FailoverLoop, coordinator: Coordinator, now = Date.now()): ManagerStatus {
  const base = loop.status();
  const read = coordinator.lastRead;
  const tracker = coordinator.sessionTracker;
  const connected = coordinator.isConnected;
  const summary = read ? summarize(read.snapshot, now, coordinator.seenManagers) : null;
  const self: ManagerSummary = summary?.managers.find((m) => m.managerId === base.managerId) ?? {
    managerId: base.managerId, up: false, down: null, holdsLead: false, fresh: false, viewAgeMs: null, lastAction: base.lastActions.at(-1) ?? null,
  };
  const selfDown = connected ? self.down : 'this manager is not connected to ZooKeeper';
  const managers = [...(summary?.managers.filter((m) => m !== self) ?? []), { ...self, up: selfDown === null, down: selfDown }]
    .sort((a, b) => a.managerId.localeCompare(b.managerId));
  const viewAgeMs = read ? now - read.at : null;
  const lostSince = connected ? null : (tracker.lostSince ?? tracker.since);
  const shown = read ? `this manager's last view from ${new Date(read.at).toISOString()} (${seconds(viewAgeMs!)} old)` : 'this manager has no view yet';
  const notice = lostSince !== null
    ? `ZooKeeper unreachable at ${coordinator.connectString} for ${seconds(now - lostSince)}; showing ${shown}`
    : viewAgeMs !== null && viewAgeMs > VIEW_STALE_MS ? `this manager last read ZooKeeper ${seconds(viewAgeMs)} ago (its loop is busy or stuck); showing that view` : null;
  const leader = connected ? (summary?.leader ?? null) : null;
  const recorded = read?.snapshot.record?.value ?? null; // the loop forgets the record when a read fails; status does not
  return {
    ...base,
    master: base.master ?? recorded?.master ?? null,
    epoch: base.epoch ?? recorded?.epoch ?? null,
    leader,
    isLeader: leader === base.managerId,
    leaderDown: connected ? (summary?.leaderDown ?? null) : `cannot tell who leads: ${notice}`,
    zookeeper: { connectString: coordinator.connectString, state: tracker.state, since: new Date(tracker.since).toISOString(), unreachableForMs: lostSince === null ? null : now - lostSince },
    viewAsOf: read ? new Date(read.at).toISOString() : null,
    viewAgeMs,
    managers,
    notice,
  };
}
