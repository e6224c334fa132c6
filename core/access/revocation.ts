/**
 * Access revocations: when a user loses a flow (blocked, removed from the organization), the acting
 * action publishes one on the bus after the commit and every streaming node cuts that user's live
 * connections from the flows (ADR 006). The message itself is in the event catalogue (core/events/control.ts).
 */
import { accessRevokedMessage } from '../events/control';
import { publishEvent } from '../events/publish';
import type { Bus } from '../ports/bus';
import type { Presence } from '../ports/presence';

/** `userId` may no longer read `flowIds`. */
export interface AccessRevocation {
  userId: number;
  flowIds: string[];
}

/**
 * Forgets the user's presence in the flows and tells every streaming node. Call it after the
 * change is committed and before answering: once the request is answered, no new event of those
 * flows reaches the user's open connections on a node that got the message.
 */
export async function revokeAccess(deps: { bus: Bus; presence: Presence }, revocation: AccessRevocation): Promise<void> {
  if (revocation.flowIds.length === 0) return;
  await Promise.all(revocation.flowIds.map((flowId) => deps.presence.forget(flowId, revocation.userId)));
  await publishEvent(deps.bus, accessRevokedMessage(revocation.userId, revocation.flowIds));
}
