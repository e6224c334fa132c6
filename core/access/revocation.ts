/**
 * Access revocations: when a user loses a flow (blocked, removed from the organization), the web-api
 * publishes one on the bus after the commit and every streaming node cuts that user's live
 * connections from the flows (ADR 006).
 */
import { accessRevokedChannel } from '../messaging/channels';
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
  await deps.bus.publish(accessRevokedChannel, JSON.stringify(revocation));
}

/** Reads a revocation off the bus; null for anything malformed (the caller logs it). */
export function parseRevocation(payload: Buffer): AccessRevocation | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { userId, flowIds } = parsed as Record<string, unknown>;
  if (!Number.isSafeInteger(userId) || !Array.isArray(flowIds) || !flowIds.every((id) => typeof id === 'string')) return null;
  return { userId: userId as number, flowIds: flowIds as string[] };
}

/**
 * `flow-remove` (spec §3): what each of the user's connections gets in place of the flow's events.
 * `user` is the user who lost the flow; there is no `flow` field, as for `flow-add`.
 */
export function flowRemoveEvent(userId: number, flowId: string, now: number) {
  return { event: 'flow-remove', content: { id: flowId }, user: String(userId), sent: now, tags: [], uuid: null, attachments: [], app: null };
}
