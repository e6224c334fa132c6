/**
 * Access revocations: when a user loses a flow (blocked, removed from the organization), the acting
 * action publishes one on the bus after the commit and every streaming node cuts that user's live
 * connections from the flows (ADR 006). When a user's password or tokens change, the same bus tells
 * every process to forget the logins it cached for the user (docs/security.md). The messages
 * themselves are in the event catalogue (core/events/control.ts).
 */
import type { Log } from '../log';
import { accessRevokedMessage, credentialsChangedMessage, parseCredentialsChanged } from '../events/control';
import { publishEvent } from '../events/publish';
import { credentialsChangedChannel } from '../messaging/channels';
import type { Bus, Subscription } from '../ports/bus';
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

/**
 * Tells every process that `userId`'s password or tokens changed. Call it after the change is
 * committed: a process that cached a login with the old ones forgets it when the message arrives.
 */
export async function announceCredentialsChanged(bus: Bus, userId: number): Promise<void> {
  await bus.publish(credentialsChangedChannel, JSON.stringify(credentialsChangedMessage(userId)));
}

/** Calls `forget` with the user of every credentials change announced; resolves once none published afterwards can be missed. */
export function listenForCredentialChanges(bus: Bus, log: Log, forget: (userId: number) => void): Promise<Subscription> {
  return bus.subscribe(credentialsChangedChannel, (payload) => {
    const change = parseCredentialsChanged(payload);
    if (!change) return log.warn({ channel: credentialsChangedChannel }, 'dropped a malformed credentials change');
    forget(change.userId);
  });
}
