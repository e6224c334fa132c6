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

export interface FailoverHistoryEntry {
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
}

export interface PromoteRequest {
  target: NodeAddress;
  requestedAt: string;
}
