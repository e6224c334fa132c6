/** The moves every master change is made of: repoint nodes, publish the new record and its history. */
import type { MasterRecord, NodeAddress } from '../core/discovery/failover-state';
import { isConflict } from '../infra/zookeeper/zookeeper-session';
import type { Coordinator } from './coordinator';
import type { Versioned } from './failover-znodes';
import type { FailoverMetrics } from './metrics';
import { type NodeChecker, parseReplicationInfo, splitAddress } from './node-checker';

/** What acting needs. */
export interface ActDeps {
  /** The acting manager, named in the history it writes. */
  managerId: string;
  nodes: readonly NodeAddress[];
  checker: NodeChecker;
  coordinator: Coordinator;
  metrics: FailoverMetrics;
  switchoverTimeoutMs: number;
}

/** Admin commands get more time than checks: they are rare and their failure costs more. */
export const ADMIN_TIMEOUT_MS = 1000;

/** `REPLICAOF host port` on each node, in parallel; returns the ones that failed. */
export async function repointAll(checker: NodeChecker, nodes: NodeAddress[], master: NodeAddress): Promise<NodeAddress[]> {
  const [host, port] = splitAddress(master);
  const results = await Promise.allSettled(nodes.map((n) => checker.run(n, ['REPLICAOF', host, port], ADMIN_TIMEOUT_MS)));
  return nodes.filter((_, i) => results[i]!.status === 'rejected');
}

/** When a master change began and was decided (ms epoch), and how it came about. */
export interface ChangeTiming {
  decidedAt: number;
  /** First failed check of the old master → decision (automatic only). */
  detectionMs: number | null;
  /** Writes stopped being served: the last successful check of the old master, or the write pause; null when unknown. */
  outageStartedAt: number | null;
  manual: boolean;
}

/** Writes the next master record by compare-and-set and appends its history entry; null when another writer won. */
export async function publishMaster(
  deps: ActDeps, previous: Versioned<MasterRecord> | null, master: NodeAddress, reason: string, timing: ChangeTiming,
): Promise<MasterRecord | null> {
  const record: MasterRecord = {
    master, replicas: deps.nodes.filter((n) => n !== master), epoch: (previous?.value.epoch ?? 0) + 1, changedAt: new Date().toISOString(), reason,
    ...(await identityOf(deps.checker, master)),
  };
  try {
    await deps.coordinator.writeRecord(record, previous?.version ?? null);
  } catch (err) {
    if (isConflict(err)) return null;
    throw err;
  }
  const writtenAt = Date.now();
  const promotionMs = writtenAt - timing.decidedAt;
  if (previous) {
    const { outageStartedAt } = timing;
    await deps.coordinator.appendHistory({
      kind: 'master-change', epoch: record.epoch, at: record.changedAt, reason, oldMaster: previous.value.master, newMaster: master,
      manual: timing.manual, detectionMs: timing.detectionMs, promotionMs, managerId: deps.managerId,
      outageStartedAt: outageStartedAt === null ? null : new Date(outageStartedAt).toISOString(),
      outageMs: outageStartedAt === null ? null : writtenAt - outageStartedAt,
    });
    deps.metrics.failovers.inc({ kind: timing.manual ? 'manual' : 'automatic' });
    deps.metrics.promotionMs.observe(promotionMs);
    if (timing.detectionMs !== null) deps.metrics.detectionMs.observe(timing.detectionMs);
  }
  return record;
}

/**
 * The process and replication history of a node just made master, read after its promotion (which
 * gives it a new replid). Unreadable: left out, and the leader stamps it at a later tick.
 */
async function identityOf(checker: NodeChecker, node: NodeAddress): Promise<Pick<MasterRecord, 'masterRunId' | 'masterReplId'>> {
  try {
    const info = parseReplicationInfo(String(await checker.run(node, ['INFO', 'server', 'replication'], ADMIN_TIMEOUT_MS)));
    return info.runId && info.replId ? { masterRunId: info.runId, masterReplId: info.replId } : {};
  } catch {
    return {};
  }
}

/** The node's replication offset now (one INFO). */
export async function offsetOf(checker: NodeChecker, node: NodeAddress): Promise<number> {
  return parseReplicationInfo(String(await checker.run(node, ['INFO', 'replication'], ADMIN_TIMEOUT_MS))).offset;
}
