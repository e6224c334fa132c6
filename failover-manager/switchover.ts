/** A manual, safe switch-over: pause writes on the master, let the target catch up, then move the master role. */
import type { MasterRecord } from '../core/discovery/failover-state';
import { ADMIN_TIMEOUT_MS, type ActDeps, offsetOf, publishMaster, repointAll } from './master-moves';
import type { Plan } from './decide';
import type { Versioned } from './failover-znodes';

type SwitchoverPlan = Extract<Plan, { kind: 'switchover' }>;

/**
 * Zero acknowledged writes lost: CLIENT PAUSE WRITE holds every new write on the old master (the
 * writers wait, nothing is refused yet), so once the target's offset reaches the master's, the target
 * holds every write that was ever acknowledged. Writes held during the pause are answered READONLY
 * after the old master became a replica, so their clients retry on the new master.
 */
export async function switchOver(plan: SwitchoverPlan, record: Versioned<MasterRecord>, deps: ActDeps): Promise<string> {
  const { from, to } = plan;
  const decidedAt = Date.now();
  const pauseMs = deps.switchoverTimeoutMs + 2000; // outlives our own deadline, so a crash mid-way still unpauses
  await deps.checker.run(from, ['CLIENT', 'PAUSE', pauseMs, 'WRITE'], ADMIN_TIMEOUT_MS);
  try {
    const target = await offsetOf(deps.checker, from);
    let reached = await offsetOf(deps.checker, to);
    while (reached < target && Date.now() - decidedAt < deps.switchoverTimeoutMs) {
      await new Promise((r) => setTimeout(r, 10));
      reached = await offsetOf(deps.checker, to);
    }
    if (reached < target) {
      await deps.coordinator.removeRequest(plan.version);
      return `switch-over to ${to} aborted: it reached offset ${reached} of ${target} within ${deps.switchoverTimeoutMs} ms; ${from} stays master and is unpaused`;
    }
    await deps.checker.run(to, ['REPLICAOF', 'NO', 'ONE'], ADMIN_TIMEOUT_MS);
    const failed = await repointAll(deps.checker, [from, ...plan.repoint], to);
    const written = await publishMaster(deps, record, to, `manual switch-over to ${to}`, { decidedAt, detectionMs: null, outageStartedAt: decidedAt, manual: true }); // writes were paused from then
    await deps.coordinator.removeRequest(plan.version);
    if (!written) return `switch-over: promoted ${to} but the master record changed under us; re-reading next tick`;
    // From here on the old master is a replica: unpausing only lets the held writes fail READONLY.
    const note = failed.length ? ` (could not repoint ${failed.join(', ')} yet)` : '';
    return `SWITCH-OVER: ${to} is master (epoch ${written.epoch}) after catching up to offset ${target}; ${from} is now its replica; took ${Date.now() - decidedAt} ms${note}`;
  } finally {
    await deps.checker.run(from, ['CLIENT', 'UNPAUSE'], ADMIN_TIMEOUT_MS).catch(() => undefined);
  }
}
