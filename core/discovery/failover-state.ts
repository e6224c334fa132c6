/**
 * The failover state that the failover managers publish in ZooKeeper and every service reads:
 * znode paths and the JSON shapes stored at them. Written only by the leading manager.
 */

/** Root of everything the failover managers keep in ZooKeeper. */
export const FAILOVER_ROOT = '/tributary/failover';

export const FAILOVER_PATHS = {
  /** Persistent: the current {@link MasterRecord}. Services watch it. */
  master: `${FAILOVER_ROOT}/master`,
  /** Ephemeral sequential children `m-`, one per running manager; the lowest leads. */
  managers: `${FAILOVER_ROOT}/managers`,
  /** Ephemeral children named by manager id: each manager's latest {@link ManagerView}. */
  views: `${FAILOVER_ROOT}/views`,
  /** Persistent sequential children `h-`: one {@link FailoverHistoryEntry} per master change. */
  history: `${FAILOVER_ROOT}/history`,
  /**
   * Persistent sequential children `e-`: one {@link FailoverEventEntry} per leader change or
   * ZooKeeper outage seen by a manager. Kept apart from `history` so that readers written before
   * these kinds existed still find only master changes there (docs/adr/012-failover-observability.md).
   */
  events: `${FAILOVER_ROOT}/events`,
  /** Persistent: a pending manual switch-over request ({@link PromoteRequest}); the leader consumes it. */
  promoteRequest: `${FAILOVER_ROOT}/promote-request`,
} as const;

/** `host:port` of a Redis node. */
export type NodeAddress = string;

/** Who is master, as of which epoch. The epoch only grows; a master is trusted only for its epoch. */
export interface MasterRecord {
  master: NodeAddress;
  replicas: NodeAddress[];
  epoch: number;
  /** ISO-8601. */
  changedAt: string;
  /** One sentence: why this master (e.g. "initial discovery", "127.0.0.1:6390 down (3 failed checks, 2 of 3 managers agree)"). */
  reason: string;
  /**
   * The master's process as it was made master (INFO server run_id): another run_id at the same
   * address means the master restarted, and it is failed over like a dead one (ADR 010).
   * Optional: a record without it is stamped by the leader once the master answers.
   */
  masterRunId?: string;
  /** The master's master_replid then: the replication history a replica must share to be promoted (ADR 010). */
  masterReplId?: string;
}

/** What one manager sees of one node. */
export interface NodeObservation {
  up: boolean;
  role: 'master' | 'replica' | 'unknown';
  /** master_repl_offset (master) or slave_repl_offset (replica); -1 when unknown. */
  offset: number;
  /** For replicas: the master they follow, and whether the link is up. */
  following?: NodeAddress;
  linkUp?: boolean;
  /** Consecutive failed checks. */
  failures: number;
  /**
   * master_replid: the replication history the node's data belongs to. A replica that never synced
   * with the lost master (e.g. restarted empty) has another one and must not be promoted.
   * (Added with the failover manager; optional, so older readers ignore it.)
   */
  replId?: string;
  /** INFO server run_id: changes whenever the process restarts (ADR 010). */
  runId?: string;
}

/** One manager's latest view of every node (written to its ephemeral znode under `views`). */
export interface ManagerView {
  managerId: string;
  /** ms epoch of the observation. */
  at: number;
  nodes: Record<NodeAddress, NodeObservation>;
  /** The manager's latest one-sentence account of its last tick (added with the failover manager). */
  lastAction?: string;
}

/** Data of each `managers/m-` znode (added with the failover manager). */
export interface ManagerRegistration {
  managerId: string;
  /** ISO-8601. */
  startedAt: string;
}

/** One master change (znode `history/h-`). Entries written before `kind` existed lack it and the fields marked "added". */
export interface FailoverHistoryEntry {
  /** Added with issue 10; absent in older entries, which are master changes too. */
  kind?: 'master-change';
  epoch: number;
  /** ISO-8601 of the new master record. */
  at: string;
  reason: string;
  oldMaster: NodeAddress | null;
  newMaster: NodeAddress;
  manual: boolean;
  /** First failed check of the old master → decision (automatic failovers only). */
  detectionMs: number | null;
  /** Decision → new record written. */
  promotionMs: number;
  /** Added: the manager that made the change. */
  managerId?: string;
  /**
   * Added: ISO-8601 of when the outage began as the acting manager measured it: its last
   * successful check of the old master (automatic), or the write pause (manual); null when it
   * never saw the old master answer.
   */
  outageStartedAt?: string | null;
  /** Added: {@link outageStartedAt} → new record written (`at`), in ms; null when the start is unknown. */
  outageMs?: number | null;
}

/** A manager took the lead (znode `events/e-`), written by the new leader on its first leading tick. */
export interface LeaderChangeEntry {
  kind: 'leader-change';
  /** ISO-8601: leads from then. */
  at: string;
  /** The manager that leads now (it wrote the entry). */
  leader: string;
  /** The leader it last saw before, or null when it saw none. */
  previous: string | null;
}

/** A manager lost its ZooKeeper session and got one back (znode `events/e-`, written when it is back). */
export interface ZookeeperOutageEntry {
  kind: 'zookeeper-outage';
  /** The manager that saw the outage. */
  managerId: string;
  /** ISO-8601: the session was lost (disconnected) or could not be made. */
  lostAt: string;
  /** ISO-8601: a connected, registered session again. */
  regainedAt: string;
  outageMs: number;
  /** True when the old session expired (or was given up) and a new one was made: ephemerals went with it. */
  sessionExpired: boolean;
}

/** Everything under `events`. */
export type FailoverEventEntry = LeaderChangeEntry | ZookeeperOutageEntry;

/** The timeline `GET /history` and `tributary failover history` show: master changes and events, each with its kind. */
export type FailoverTimelineEntry = (FailoverHistoryEntry & { kind: 'master-change' }) | FailoverEventEntry;

export interface PromoteRequest {
  target: NodeAddress;
  requestedAt: string;
}
