/**
 * Asking the managers for a switch-over, as `tributary failover promote` and the app's failover page
 * (POST /admin/failover/promote) both do: only to a node the managers know, not to the master, by
 * writing the promote request the leader's loop acts on (docs/adr/005-failover.md).
 */
import type { NodeAddress } from '../core/discovery/failover-state';
import type { ZookeeperSession } from '../infra/zookeeper/zookeeper-session';
import { type FailoverState, knownNodes, writePromoteRequest } from './failover-znodes';

export type PromoteOutcome =
  | { kind: 'requested'; target: NodeAddress }
  | { kind: 'already-master'; target: NodeAddress; epoch: number }
  | { kind: 'unknown-node'; message: string };

/** Writes the request when `target` is a known node other than the master; `state` is a fresh read. */
export async function requestSwitchover(session: ZookeeperSession, target: string | undefined, state: FailoverState): Promise<PromoteOutcome> {
  const known = knownNodes(state);
  if (!target || !known.includes(target)) {
    return { kind: 'unknown-node', message: `unknown node ${target ?? '(none given)'}; known: ${known.join(', ') || '(none: no manager has published a view)'}` };
  }
  if (state.record?.value.master === target) return { kind: 'already-master', target, epoch: state.record.value.epoch };
  await writePromoteRequest(session, target);
  return { kind: 'requested', target };
}
