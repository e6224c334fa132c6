/**
 * The events of membership changes, published after the change is committed: hubot re-reads its
 * flows when it sees `flow-add`, `flow-remove`, `backend.user.join` or `backend.user.block` about itself.
 */
import { revokeAccess } from '../access/revocation';
import type { Flow, Organization, User } from '../domain/types';
import { flowAddEvent, userBlockEvent, userJoinEvent } from '../events/live-events';
import { publishEvent } from '../events/publish';
import type { ActionDeps } from './deps';

/** `user` joined `flow`: `flow-add` for them, `backend.user.join` for the flow's readers. */
export async function announceJoin(deps: Pick<ActionDeps, 'bus'>, flow: Flow, organization: Organization, user: User): Promise<void> {
  const now = Date.now();
  await Promise.all([publishEvent(deps.bus, flowAddEvent(flow, organization, user, now)), publishEvent(deps.bus, userJoinEvent(flow.id, user, now))]);
}

/**
 * `userId` lost `flowIds` (blocked, or removed from their organization): their live connections
 * are cut from them first (each gets `flow-remove`, then nothing more of the flow), then each
 * flow's readers get `backend.user.block` so that their clients drop them.
 */
export async function announceLoss(deps: Pick<ActionDeps, 'bus' | 'presence'>, userId: number, flowIds: string[]): Promise<void> {
  await revokeAccess(deps, { userId, flowIds });
  const now = Date.now();
  await Promise.all(flowIds.map((flowId) => publishEvent(deps.bus, userBlockEvent(flowId, userId, now))));
}
