/** The leader's decision as a table: every plan decide() can return, and the snapshot that leads to it. */
import type { ManagerView, NodeObservation } from '../core/discovery/failover-state';
import { type DecisionInput, decide, downByMajority } from './decide';

const [A, B, C] = ['10.0.0.1:6379', '10.0.0.2:6379', '10.0.0.3:6379'];
const NOW = 1_000_000;
const LINEAGE = 'repl-history-1';
const RUN_A = 'a'.repeat(40);

const master = (over: Partial<NodeObservation> = {}): NodeObservation => ({ up: true, role: 'master', offset: 500, failures: 0, replId: LINEAGE, runId: RUN_A, ...over });
const replica = (offset: number, over: Partial<NodeObservation> = {}): NodeObservation => ({
  up: true, role: 'replica', offset, following: A, linkUp: true, failures: 0, replId: LINEAGE, ...over,
});
/** A node failing its checks keeps what it last answered (the node checker's way), here a master. */
const failing = (failures = 3, last = master()): NodeObservation => ({ ...last, failures, up: failures < 3 });
/** A node that never answered a check. */
const down = (failures = 3): NodeObservation => ({ up: false, role: 'unknown', offset: -1, failures });

/** A healthy three-node group with A as recorded master, seen by the only manager; `over` changes any part. */
function input(over: Partial<DecisionInput> = {}): DecisionInput {
  return {
    now: NOW, managerId: 'm1', nodes: [A, B, C],
    own: { [A]: master(), [B]: replica(490), [C]: replica(480) },
    firstFailureAt: () => NOW - 1500,
    downAfterChecks: 3, viewFreshMs: 5000, managers: 1, views: [],
    record: {
      value: { master: A, replicas: [B, C], epoch: 4, changedAt: '2026-01-01T00:00:00Z', reason: 'initial discovery', masterRunId: RUN_A, masterReplId: LINEAGE },
      version: 3,
    },
    request: null,
    ...over,
  };
}

const view = (managerId: string, nodes: ManagerView['nodes'], at = NOW - 100): ManagerView => ({ managerId, at, nodes });

describe('with no master record yet', () => {
  it('discovers the one reachable node that claims master', () => {
    expect(decide(input({ record: null }))).toEqual({ kind: 'discover', master: A });
  });

  it('waits while no node, or more than one, claims master', () => {
    const none = decide(input({ record: null, own: { [A]: down(), [B]: replica(1), [C]: replica(1) } }));
    expect(none).toEqual({ kind: 'report', say: expect.stringContaining('0 reachable nodes claim master (none)') });
    const two = decide(input({ record: null, own: { [A]: master(), [B]: master(), [C]: replica(1) } }));
    expect(two).toEqual({ kind: 'report', say: expect.stringContaining(`2 reachable nodes claim master (${A}, ${B})`) });
  });
});

describe('when the master fails', () => {
  it('reports, and waits, until the master failed enough checks', () => {
    const plan = decide(input({ own: { [A]: failing(2), [B]: replica(490), [C]: replica(480) } }));
    expect(plan).toEqual({ kind: 'report', say: expect.stringContaining(`master ${A} failed 2 check(s); not down yet`) });
  });

  it('promotes the replica with the highest offset and repoints the others', () => {
    const plan = decide(input({ own: { [A]: failing(3), [B]: replica(480), [C]: replica(490) } }));
    expect(plan).toEqual({
      kind: 'failover', from: A, to: C, repoint: [B], detectionMs: 1500,
      why: expect.stringContaining(`${C} had the highest offset (490)`),
    });
  });

  it('breaks an offset tie by the lowest address, so that every leader picks the same node', () => {
    const plan = decide(input({ own: { [A]: failing(), [C]: replica(490), [B]: replica(490) }, firstFailureAt: () => null }));
    expect(plan).toMatchObject({ kind: 'failover', to: B, repoint: [C], detectionMs: null });
  });

  it('never fails over a master this manager has no check of', () => {
    const plan = decide(input({ own: { [B]: replica(490), [C]: replica(480) }, views: [view('m2', { [A]: failing() })], managers: 2 }));
    expect(plan).toEqual({ kind: 'report', say: `master ${A} failed 0 check(s); not down yet (0 of 2 managers see it down)` });
  });

  it('needs a majority of the managers: alone out of three it waits; with a fresh agreeing view it fails over', () => {
    const own = { [A]: failing(3), [B]: replica(490), [C]: replica(480) };
    const alone = input({ own, managers: 3, views: [view('m2', { [A]: master() }), view('m3', { [A]: failing() }, NOW - 60_000)] });
    expect(downByMajority(alone, A)).toEqual({ down: false, agree: 1, of: 3 });
    expect(decide(alone)).toEqual({ kind: 'report', say: expect.stringContaining('1 of 3 managers see it down') });
    const agreed = input({ ...alone, views: [...alone.views, view('m2', { [A]: failing() })] });
    expect(decide(agreed)).toMatchObject({ kind: 'failover', to: B, why: expect.stringContaining('2 of 3 managers agree') });
  });

  it('waits when every replica is down too', () => {
    const plan = decide(input({ own: { [A]: failing(), [B]: down(), [C]: down(1) } }));
    expect(plan).toEqual({ kind: 'report', say: `MASTER ${A} IS DOWN and no replica can be promoted: all replicas are down; waiting` });
  });

  it('never promotes a replica that did not sync with the lost master', () => {
    const plan = decide(input({ own: { [A]: failing(), [B]: replica(900, { replId: 'other' }), [C]: replica(800, { replId: 'other' }) } }));
    expect(plan).toEqual({ kind: 'report', say: expect.stringContaining(`${B}, ${C} never synced with the lost master (stale)`) });
    const partly = decide(input({ own: { [A]: failing(), [B]: replica(900, { replId: 'other' }), [C]: replica(10) } }));
    expect(partly).toMatchObject({ kind: 'failover', to: C, repoint: [B] });
  });

  it('waits when no manager ever saw the lost master up, and trusts another manager\'s memory of it', () => {
    const unrecorded = input().record!.value;
    delete unrecorded.masterReplId;
    const never = input({ own: { [A]: down(), [B]: replica(490), [C]: replica(480) }, record: { value: unrecorded, version: 3 } });
    expect(decide(never)).toEqual({ kind: 'report', say: expect.stringContaining('no manager ever saw the lost master up') });
    const remembered = input({ ...never, views: [view('m2', { [A]: master() })] });
    expect(decide(remembered)).toMatchObject({ kind: 'failover', to: B });
  });

  it('trusts the record\'s note of the lost master\'s history when no manager saw it up', () => {
    expect(decide(input({ own: { [A]: down(), [B]: replica(490), [C]: replica(480) } }))).toMatchObject({ kind: 'failover', to: B });
  });
});

describe('when the master restarted (ADR 010)', () => {
  const RUN_NEW = 'b'.repeat(40);
  /** What the launcher starts a restarted recorded master as: a replica of itself, empty, with a fresh history. */
  const fenced = (over: Partial<NodeObservation> = {}) => master({ role: 'replica', following: A, linkUp: false, offset: 0, replId: 'fresh', runId: RUN_NEW, ...over });

  it('fails over at once, without failed checks or a majority, when the master answers with another run_id', () => {
    const plan = decide(input({ managers: 3, own: { [A]: master({ runId: RUN_NEW, replId: 'fresh', offset: 0 }), [B]: replica(480), [C]: replica(490) } }));
    expect(plan).toEqual({
      kind: 'failover', from: A, to: C, repoint: [B, A], detectionMs: null,
      why: expect.stringContaining(`${A} restarted (run_id aaaaaaaa is now bbbbbbbb)`),
    });
  });

  it('fails over when the master came back fenced by the launcher, even from a record without a run_id', () => {
    const value = { ...input().record!.value };
    delete value.masterRunId;
    const plan = decide(input({ own: { [A]: fenced(), [B]: replica(490), [C]: replica(480) }, record: { value, version: 3 } }));
    expect(plan).toMatchObject({ kind: 'failover', to: B, repoint: [C, A], why: expect.stringContaining('fenced, as a replica of itself') });
  });

  it('promotes only replicas of the recorded history, and says so loudly when none is', () => {
    const plan = decide(input({ own: { [A]: fenced(), [B]: replica(900, { replId: 'other' }), [C]: replica(10) } }));
    expect(plan).toMatchObject({ kind: 'failover', to: C, repoint: [B, A] });
    const none = decide(input({ own: { [A]: fenced(), [B]: down(), [C]: replica(10, { replId: 'other' }) } }));
    expect(none).toEqual({ kind: 'report', say: `MASTER ${A} RESTARTED and no replica can be promoted: ${C} never synced with the lost master (stale); waiting` });
  });

  it('still restores a recorded master of the same process that someone made a replica of another node', () => {
    expect(decide(input({ own: { [A]: master({ role: 'replica', following: B }), [B]: replica(490), [C]: replica(480) } }))).toEqual({ kind: 'restore-master', node: A });
  });
});

describe('with the master up', () => {
  it('notes the master\'s run_id and history in a record that lacks them', () => {
    const value = { ...input().record!.value };
    delete value.masterRunId;
    delete value.masterReplId;
    expect(decide(input({ record: { value, version: 3 } }))).toEqual({ kind: 'stamp-master', runId: RUN_A, replId: LINEAGE });
  });

  it('restores the recorded master when it answers as a replica', () => {
    expect(decide(input({ own: { [A]: master({ role: 'replica' }), [B]: replica(490), [C]: replica(480) } }))).toEqual({ kind: 'restore-master', node: A });
  });

  it('repoints a node that claims master or follows another', () => {
    const plan = decide(input({ own: { [A]: master(), [B]: master({ offset: 10 }), [C]: replica(480, { following: B }) } }));
    expect(plan).toEqual({ kind: 'repoint', nodes: [B, C], why: `${B} claims master, ${C} follows ${B}` });
  });

  it('reports a replica down without failing over', () => {
    const plan = decide(input({ own: { [A]: master(), [B]: down(), [C]: replica(480) } }));
    expect(plan).toEqual({ kind: 'report', say: `replica ${B} down (no failover needed); master ${A} (epoch 4) is up` });
  });

  it('reports that there is nothing to do', () => {
    expect(decide(input())).toEqual({ kind: 'report', say: `master ${A} (epoch 4) and 2 replica(s) are up; nothing to do` });
  });
});

describe('a manual switch-over request', () => {
  it('switches over to an up replica of the master, repointing the other replicas', () => {
    expect(decide(input({ request: { target: C, version: 7 } }))).toEqual({ kind: 'switchover', from: A, to: C, repoint: [B], version: 7 });
  });

  it('is rejected for an unknown node, the master itself, or a node that is not an up replica of the master', () => {
    const reject = (target: string, own?: DecisionInput['own']) => decide(input({ request: { target, version: 7 }, ...(own ? { own } : {}) }));
    expect(reject('10.9.9.9:6379')).toEqual({ kind: 'reject-request', version: 7, why: `unknown node 10.9.9.9:6379; known: ${A}, ${B}, ${C}` });
    expect(reject(A)).toEqual({ kind: 'reject-request', version: 7, why: `${A} is already the master` });
    const notUp = { [A]: master(), [B]: replica(490), [C]: down() };
    expect(reject(C, notUp)).toEqual({ kind: 'reject-request', version: 7, why: `${C} is not an up replica of ${A}` });
  });

  it('waits for a master failure to be handled first', () => {
    const plan = decide(input({ own: { [A]: failing(), [B]: replica(490), [C]: replica(480) }, request: { target: C, version: 7 }, views: [view('m2', { [A]: master() })] }));
    expect(plan.kind).toBe('failover');
  });
});
