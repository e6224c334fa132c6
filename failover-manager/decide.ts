/** The leader's decision for one tick: from a snapshot of checks and ZooKeeper to at most one plan. No I/O. */
import type { ManagerView, MasterRecord, NodeAddress, NodeObservation } from '../core/discovery/failover-state';
import type { Versioned } from './failover-znodes';

/** What one tick decides from. */
export interface DecisionInput {
  now: number;
  managerId: string;
  nodes: readonly NodeAddress[];
  /** This manager's own latest checks. */
  own: Record<NodeAddress, NodeObservation>;
  firstFailureAt: (node: NodeAddress) => number | null;
  downAfterChecks: number;
  /** Other managers' views older than this are ignored. */
  viewFreshMs: number;
  managers: number;
  views: ManagerView[];
  record: Versioned<MasterRecord> | null;
  request: { target: NodeAddress; version: number } | null;
}

/** One thing to do this tick; `say` is the sentence when nothing needs doing beyond reporting. */
export type Plan =
  | { kind: 'report'; say: string }
  | { kind: 'discover'; master: NodeAddress }
  | { kind: 'failover'; from: NodeAddress; to: NodeAddress; repoint: NodeAddress[]; detectionMs: number | null; why: string }
  | { kind: 'restore-master'; node: NodeAddress }
  | { kind: 'stamp-master'; runId: string; replId: string }
  | { kind: 'repoint'; nodes: NodeAddress[]; why: string }
  | { kind: 'reject-request'; version: number; why: string }
  | { kind: 'switchover'; from: NodeAddress; to: NodeAddress; repoint: NodeAddress[]; version: number };

/** Answered and not failing now: a node we can act on. */
const reachable = (o: NodeObservation | undefined): o is NodeObservation => !!o && o.failures === 0 && o.role !== 'unknown';

/** Down when this manager counted enough failures and a majority of registered managers (fresh views) agree. */
export function downByMajority(input: DecisionInput, node: NodeAddress): { down: boolean; agree: number; of: number } {
  const of = Math.max(1, input.managers);
  const mine = input.own[node];
  if (!mine || mine.failures < input.downAfterChecks) return { down: false, agree: 0, of };
  const others = input.views.filter((v) => v.managerId !== input.managerId && input.now - v.at < input.viewFreshMs);
  const agree = 1 + others.filter((v) => v.nodes[node]?.up === false).length;
  return { down: agree >= Math.floor(of / 2) + 1, agree, of };
}

/**
 * The replication history the lost master's data belongs to: as last seen by us or, failing that,
 * by any other manager, or else as the record says it was when the master was made master.
 */
function lastReplId(input: DecisionInput, node: NodeAddress): string | undefined {
  return input.own[node]?.replId ?? input.views.map((v) => v.nodes[node]?.replId).find(Boolean) ?? input.record?.value.masterReplId;
}

/** A master is lost when it is down by majority, or when it answers as another process than the one recorded (ADR 010). */
interface LostMaster {
  node: NodeAddress;
  /** `IS DOWN` or `RESTARTED`, for the loud sentence. */
  state: string;
  /** Why it is lost, for the record's reason. */
  why: string;
  /** The replication history a replacement must share. */
  lineage: string | undefined;
  detectionMs: number | null;
  /** The lost master answers (it restarted): repoint it to the replacement too. */
  reachable: boolean;
}

function decideFailover(input: DecisionInput, master: NodeAddress): Plan {
  const { down, agree, of } = downByMajority(input, master);
  const failures = input.own[master]?.failures ?? 0;
  if (!down) return { kind: 'report', say: `master ${master} failed ${failures} check(s); not down yet (${agree} of ${of} managers see it down)` };
  const since = input.firstFailureAt(master);
  return replaceMaster(input, {
    node: master, state: 'IS DOWN', why: `${master} down (${failures} failed checks, ${agree} of ${of} managers agree)`,
    lineage: lastReplId(input, master), detectionMs: since === null ? null : input.now - since, reachable: false,
  });
}

/** The best replica of the lost master's history, promoted; or a loud sentence saying why none can be. */
function replaceMaster(input: DecisionInput, lost: LostMaster): Plan {
  const others = input.nodes.filter((n) => n !== lost.node);
  const up = others.filter((n) => reachable(input.own[n]));
  const cannot = (why: string): Plan => ({ kind: 'report', say: `MASTER ${lost.node} ${lost.state} and no replica can be promoted: ${why}; waiting` });
  if (up.length === 0) return cannot('all replicas are down');
  const { lineage } = lost;
  const candidates = up.filter((n) => lineage !== undefined && input.own[n]!.replId === lineage);
  if (candidates.length === 0) {
    return cannot(lineage === undefined ? 'no manager ever saw the lost master up, so none can be trusted' : `${up.join(', ')} never synced with the lost master (stale)`);
  }
  // Highest offset first; ties go to the lowest address, so every leader would pick the same node.
  const to = candidates.sort((a, b) => input.own[b]!.offset - input.own[a]!.offset || a.localeCompare(b))[0]!;
  const repoint = [...up.filter((n) => n !== to), ...(lost.reachable ? [lost.node] : [])];
  return {
    kind: 'failover', from: lost.node, to, repoint, detectionMs: lost.detectionMs,
    why: `${lost.why}; ${to} had the highest offset (${input.own[to]!.offset})`,
  };
}

/**
 * The recorded master answering as another process: it restarted, so whatever it holds now (nothing,
 * or an old snapshot) is not the data its replicas and clients were told about. Seen once is enough:
 * a run_id does not flicker like a network does.
 */
function restartedMaster(input: DecisionInput, master: NodeAddress, o: NodeObservation): Plan | null {
  const recorded = input.record?.value.masterRunId;
  const newProcess = !!recorded && !!o.runId && o.runId !== recorded;
  // The launcher starts a restarted recorded master as a replica of itself (fenced): the same fact, told without a run_id.
  const fenced = o.role === 'replica' && o.following === master;
  if (!newProcess && !fenced) return null;
  const how = newProcess ? `run_id ${recorded!.slice(0, 8)} is now ${o.runId!.slice(0, 8)}` : 'it came back fenced, as a replica of itself';
  return replaceMaster(input, {
    node: master, state: 'RESTARTED', why: `${master} restarted (${how}): what it holds is not the acknowledged data`,
    lineage: input.record?.value.masterReplId, detectionMs: null, reachable: true,
  });
}

function decideRequest(input: DecisionInput, master: NodeAddress, request: NonNullable<DecisionInput['request']>): Plan | null {
  const { target, version } = request;
  if (!input.nodes.includes(target)) return { kind: 'reject-request', version, why: `unknown node ${target}; known: ${input.nodes.join(', ')}` };
  if (target === master) return { kind: 'reject-request', version, why: `${target} is already the master` };
  const t = input.own[target];
  if (!reachable(t) || t.role !== 'replica' || t.following !== master) {
    return { kind: 'reject-request', version, why: `${target} is not an up replica of ${master}` };
  }
  return null;
}

/** Nodes that answer but do not follow the record's master: an old master back, or a replica pointed elsewhere. */
function strays(input: DecisionInput, master: NodeAddress): NodeAddress[] {
  return input.nodes.filter((n) => {
    const o = input.own[n];
    return n !== master && reachable(o) && (o.role === 'master' || o.following !== master);
  });
}

/** The leader's plan for this tick, most urgent first. */
export function decide(input: DecisionInput): Plan {
  if (!input.record) {
    const masters = input.nodes.filter((n) => reachable(input.own[n]) && input.own[n]!.role === 'master');
    if (masters.length === 1) return { kind: 'discover', master: masters[0]! };
    return { kind: 'report', say: `no master record yet and ${masters.length} reachable nodes claim master (${masters.join(', ') || 'none'}); waiting for exactly one` };
  }
  const { master, epoch } = input.record.value;
  const m = input.own[master];
  if (!m || m.failures > 0) return decideFailover(input, master);
  const restarted = restartedMaster(input, master, m);
  if (restarted) return restarted;
  if (m.role === 'replica') return { kind: 'restore-master', node: master };
  const { masterRunId, masterReplId } = input.record.value;
  // A record written before ADR 010, or whose writer could not read the master: note who it is now.
  if ((!masterRunId || !masterReplId) && m.runId && m.replId) return { kind: 'stamp-master', runId: m.runId, replId: m.replId };
  const request = input.request ? decideRequest(input, master, input.request) : null;
  if (request) return request;
  const stray = strays(input, master);
  if (stray.length > 0) return { kind: 'repoint', nodes: stray, why: stray.map((n) => `${n} ${input.own[n]!.role === 'master' ? 'claims master' : `follows ${input.own[n]!.following}`}`).join(', ') };
  if (input.request) {
    const repoint = input.nodes.filter((n) => n !== master && n !== input.request!.target && reachable(input.own[n]));
    return { kind: 'switchover', from: master, to: input.request.target, repoint, version: input.request.version };
  }
  const down = input.nodes.filter((n) => n !== master && !input.own[n]?.up);
  if (down.length > 0) return { kind: 'report', say: `replica ${down.join(', ')} down (no failover needed); master ${master} (epoch ${epoch}) is up` };
  return { kind: 'report', say: `master ${master} (epoch ${epoch}) and ${input.nodes.length - 1} replica(s) are up; nothing to do` };
}
