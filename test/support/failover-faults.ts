/**
 * Faults for the failover tests: take the current Redis master away (SIGKILL: dead, SIGSTOP:
 * hung), bring it back as an operator would, and wait until every manager sees a group that can
 * fail over again — so that consecutive faults each hit the master of their moment.
 */
import type { ManagerView, MasterRecord } from '../../core/discovery/failover-state';
import type { FailoverScenario } from './failover-scenario';

export type FaultSignal = 'SIGKILL' | 'SIGSTOP';

/** One fault of the master and the promotion that answered it. */
export interface MasterFault {
  signal: FaultSignal;
  /** The node taken away. */
  master: string;
  /** When the signal was sent. */
  at: number;
  /** The record that replaced the lost master's, and when the znode was first seen holding it. */
  record: MasterRecord;
  newMasterAt: number;
}

/** Signals the master the znode names now, then waits for a record with a higher epoch. */
export async function faultMaster(s: FailoverScenario, signal: FaultSignal, timeoutMs = 20_000): Promise<MasterFault> {
  const before = await s.znode.read();
  if (!before) throw new Error('no master record to fault');
  const at = Date.now();
  s.servers.redis.signal(before.master, signal);
  const { record, at: newMasterAt } = await s.znode.waitForEpochAbove(before.epoch, timeoutMs);
  return { signal, master: before.master, at, record, newMasterAt };
}

/** Brings the faulted node back: SIGCONT for a hung one, a restart (the redis cookbook) for a dead one. */
export async function recoverNode(s: FailoverScenario, fault: Pick<MasterFault, 'signal' | 'master'>): Promise<void> {
  if (fault.signal === 'SIGSTOP') s.servers.redis.signal(fault.master, 'SIGCONT');
  else await s.servers.redis.restart(fault.master);
}

/**
 * What keeps a view from showing a group ready for the next failover (null: nothing): the
 * recorded master up as master, every other node up and replicating from it with the link up
 * and the master's replication id (so the managers would trust it for a promotion).
 */
function viewProblem(view: ManagerView, master: string, nodes: readonly string[]): string | null {
  const m = view.nodes[master];
  if (!m?.up || m.role !== 'master') return `${view.managerId} sees master ${master} as ${m?.up ? m.role : 'down'}`;
  for (const node of nodes) {
    if (node === master) continue;
    const o = view.nodes[node];
    if (!o?.up || o.role !== 'replica' || o.following !== master || !o.linkUp || o.replId !== m.replId) {
      return `${view.managerId} sees ${node} as ${o?.up ? `${o.role} of ${o.following ?? 'nobody'} (link ${o.linkUp ? 'up' : 'down'})` : 'down'}`;
    }
  }
  return null;
}

/**
 * Resolves once every manager's view, taken after this call, shows the group ready to fail over
 * again; rejects after `timeoutMs` with what was still wrong. The managers publish a view every
 * check, so this reads ZooKeeper every 50 ms: there is no event to await for "all of them saw it".
 */
export async function waitForHealthyGroup(s: FailoverScenario, timeoutMs = 20_000): Promise<MasterRecord> {
  const since = Date.now();
  const nodes = s.servers.redis.addresses;
  let problem = 'no master record';
  while (Date.now() - since < timeoutMs) {
    const state = await s.znode.state().catch((error: Error) => ({ error }));
    if ('error' in state) problem = `reading ZooKeeper failed: ${state.error.message}`;
    else if (state.record) {
      const master = state.record.value.master;
      const fresh = state.views.filter((v) => v.at >= since);
      problem =
        fresh.length < s.managers.count
          ? `${fresh.length} of ${s.managers.count} managers published a view yet`
          : (fresh.map((v) => viewProblem(v, master, nodes)).find((p) => p !== null) ?? '');
      if (!problem) return state.record.value;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the Redis group did not become healthy within ${timeoutMs} ms: ${problem}`);
}
