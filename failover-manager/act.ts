/** Carries out the leader's plan on the Redis nodes and in ZooKeeper, and says in one sentence what it did. */
import type { MasterRecord, NodeAddress } from '../core/discovery/failover-state';
import { isConflict } from '../infra/zookeeper/zookeeper-session';
import type { Plan } from './decide';
import type { Versioned } from './failover-znodes';
import { ADMIN_TIMEOUT_MS, type ActDeps, publishMaster, repointAll } from './master-moves';
import { switchOver } from './switchover';

const failedNote = (failed: NodeAddress[]) => (failed.length ? ` (could not repoint ${failed.join(', ')} yet)` : '');
const CONFLICT = 'the master record changed under us; re-reading next tick';

/** Runs the plan; the returned sentence is the tick's account. */
export async function act(plan: Plan, record: Versioned<MasterRecord> | null, deps: ActDeps): Promise<string> {
  const decidedAt = Date.now();
  switch (plan.kind) {
    case 'report':
      return plan.say;
    case 'discover': {
      const written = await publishMaster(deps, null, plan.master, 'initial discovery', { decidedAt, detectionMs: null, outageStartedAt: null, manual: false });
      return written ? `discovered master ${plan.master}; wrote epoch 1` : CONFLICT;
    }
    case 'failover': {
      await deps.checker.run(plan.to, ['REPLICAOF', 'NO', 'ONE'], ADMIN_TIMEOUT_MS);
      const failed = await repointAll(deps.checker, plan.repoint, plan.to);
      // The outage began when the old master last answered, not at the first failed check or the decision.
      const outageStartedAt = deps.checker.lastSuccessAt(plan.from);
      const written = await publishMaster(deps, record, plan.to, plan.why, { decidedAt, detectionMs: plan.detectionMs, outageStartedAt, manual: false });
      if (!written) return `promoted ${plan.to} but ${CONFLICT}`;
      return `FAILOVER: promoted ${plan.to} to master (epoch ${written.epoch}) in ${Date.now() - decidedAt} ms: ${plan.why}${failedNote(failed)}`;
    }
    case 'stamp-master': {
      const { value, version } = record!;
      await deps.coordinator.writeRecord({ ...value, masterRunId: plan.runId, masterReplId: plan.replId }, version).catch((err: unknown) => {
        if (!isConflict(err)) throw err;
      });
      return `noted master ${value.master}'s process in the record (run_id ${plan.runId.slice(0, 8)}), so that a restart of it is seen`;
    }
    case 'restore-master':
      await deps.checker.run(plan.node, ['REPLICAOF', 'NO', 'ONE'], ADMIN_TIMEOUT_MS);
      return `${plan.node} is the recorded master but reported role replica; made it master again`;
    case 'repoint': {
      const master = record!.value.master;
      const failed = await repointAll(deps.checker, plan.nodes, master);
      return `repointed ${plan.nodes.join(', ')} to master ${master} (${plan.why})${failedNote(failed)}`;
    }
    case 'reject-request':
      await deps.coordinator.removeRequest(plan.version);
      return `rejected promote request: ${plan.why}`;
    case 'switchover':
      return switchOver(plan, record!, deps);
  }
}
