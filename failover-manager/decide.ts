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

/** The replication history of a node as last seen by us or, failing that, by any other manager. */
function lastReplId(input: DecisionInput, node: NodeAddress): string | undefined {
  return input.own[node]?.replId ?? input.views.map((v) => v.nodes[node]?.replId).find(Boolean);
}

function decideFailover(input: DecisionInput, master: NodeAddress): Plan {
  const { down, agree, of } = downByMajority(input, master);
  const failures = input.own[master]?.failures ?? 0;
  if (!down) return { kind: 'report', say: `master ${master} failed ${failures} check(s); not down yet (${agree} of ${of} managers see it down)` };
  const others = input.nodes.filter((n) => n !== master);
  const up = others.filter((n) => reachable(input.own[n]));
  if (up.length === 0) return { kind: 'report', say: `MASTER ${master} IS DOWN and no replica can be promoted: all replicas are down; waiting` };
  const lineage = lastReplId(input, master);
  const candidates = up.filter((n) => lineage !== undefined && input.own[n]!.replId === lineage);
  if (candidates.length === 0) {
    const why = lineage === undefined ? 'no manager ever saw the lost master up, so none can be trusted' : `${up.join(', ')} never synced with the lost master (stale)`;
    return { kind: 'report', say: `MASTER ${master} IS DOWN and no replica can be promoted: ${why}; waiting` };
  }
  // Highest offset first; ties go to the lowest address, so every leader would pick the same node.
  const to = candidates.sort((a, b) => input.own[b]!.offset - input.own[a]!.offset || a.localeCompare(b))[0]!;
  const since = input.firstFailureAt(master);
  return {
    kind: 'failover', from: master, to, repoint: up.filter((n) => n !== to), detectionMs: since === null ? null : input.now - since,
    why: `${master} down (${failures} failed checks, ${agree} of ${of} managers agree); ${to} had the highest offset (${input.own[to]!.offset})`,
  };
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
  if (m.role === 'replica') return { kind: 'restore-master', node: master };
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
