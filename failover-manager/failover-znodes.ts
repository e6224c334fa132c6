/** Reads and writes of the failover znodes shared by the managers, their API and the CLI. */
import {
  FAILOVER_PATHS, type FailoverEventEntry, type FailoverHistoryEntry, type FailoverTimelineEntry, type ManagerRegistration, type ManagerView,
  type MasterRecord, type NodeAddress, type PromoteRequest,
} from '../core/discovery/failover-state';
import { isConflict, type ZookeeperSession } from '../infra/zookeeper/zookeeper-session';

/** A znode's parsed JSON and the version it was read at (for compare-and-set). */
export interface Versioned<T> {
  value: T;
  version: number;
}

/** Everything in ZooKeeper about failover, read in one go. */
export interface FailoverState {
  /** `managers` children, lowest (the leader) first. */
  members: string[];
  /** Each member's registration, lowest (the leader) first; a member that vanished between the reads is missing. */
  registrations: (ManagerRegistration & { member: string })[];
  /** The manager holding the lowest `managers` child (it may be dead until its session expires; see status-summary.ts). */
  leaderId: string | null;
  views: ManagerView[];
  record: Versioned<MasterRecord> | null;
  request: Versioned<PromoteRequest> | null;
}

async function readJson<T>(session: ZookeeperSession, path: string): Promise<Versioned<T> | null> {
  const found = await session.getData(path);
  if (!found || found.data.length === 0) return null;
  return { value: JSON.parse(found.data.toString()) as T, version: found.version };
}

async function readChildren<T>(session: ZookeeperSession, parent: string): Promise<T[]> {
  const names = (await session.getChildren(parent)).sort();
  const values = await Promise.all(names.map((n) => readJson<T>(session, `${parent}/${n}`)));
  return values.flatMap((v) => (v ? [v.value] : [])); // a child may vanish between the two reads
}

/** The sequence suffix orders managers; names are `m-0000000007`. */
const bySequence = (a: string, b: string) => a.slice(a.lastIndexOf('-') + 1).localeCompare(b.slice(b.lastIndexOf('-') + 1));

export async function readFailoverState(session: ZookeeperSession): Promise<FailoverState> {
  const [members, views, record, request] = await Promise.all([
    session.getChildren(FAILOVER_PATHS.managers).then((m) => m.sort(bySequence)),
    readChildren<ManagerView>(session, FAILOVER_PATHS.views),
    readJson<MasterRecord>(session, FAILOVER_PATHS.master),
    readJson<PromoteRequest>(session, FAILOVER_PATHS.promoteRequest),
  ]);
  const found = await Promise.all(members.map((m) => readJson<ManagerRegistration>(session, `${FAILOVER_PATHS.managers}/${m}`)));
  const registrations = members.flatMap((member, i) => (found[i] ? [{ ...found[i].value, member }] : []));
  const leaderId = registrations[0]?.member === members[0] ? (registrations[0]?.managerId ?? null) : null;
  return { members, registrations, leaderId, views, record, request };
}

/** Every master change so far, oldest first. */
export function readHistory(session: ZookeeperSession): Promise<FailoverHistoryEntry[]> {
  return readChildren<FailoverHistoryEntry>(session, FAILOVER_PATHS.history);
}

/** Every leader change and ZooKeeper outage so far, in the order they were recorded. */
export function readEvents(session: ZookeeperSession): Promise<FailoverEventEntry[]> {
  return readChildren<FailoverEventEntry>(session, FAILOVER_PATHS.events);
}

/** When an entry's story begins: a master change or a lead taken at `at`, an outage when the session was lost. */
const startOf = (e: FailoverTimelineEntry): string => (e.kind === 'zookeeper-outage' ? e.lostAt : e.at);

/** Master changes and events in one list, each with its `kind`, oldest first. */
export async function readTimeline(session: ZookeeperSession): Promise<FailoverTimelineEntry[]> {
  const [history, events] = await Promise.all([readHistory(session), readEvents(session)]);
  const changes = history.map((h): FailoverTimelineEntry => ({ ...h, kind: 'master-change' }));
  return [...changes, ...events].sort((a, b) => startOf(a).localeCompare(startOf(b)));
}

/** Every node the managers know: the record's and every view's. */
export function knownNodes(state: Pick<FailoverState, 'views' | 'record'>): NodeAddress[] {
  const fromRecord = state.record ? [state.record.value.master, ...state.record.value.replicas] : [];
  return [...new Set([...fromRecord, ...state.views.flatMap((v) => Object.keys(v.nodes))])].sort();
}

/** Records the intent to switch over to `target` (replacing a pending one); the leader's loop acts on it. */
export async function writePromoteRequest(session: ZookeeperSession, target: NodeAddress): Promise<void> {
  const request: PromoteRequest = { target, requestedAt: new Date().toISOString() };
  try {
    await session.create(FAILOVER_PATHS.promoteRequest, JSON.stringify(request));
  } catch (err) {
    if (!isConflict(err)) throw err;
    await session.setData(FAILOVER_PATHS.promoteRequest, JSON.stringify(request));
  }
}
