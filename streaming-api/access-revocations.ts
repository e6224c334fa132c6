/**
 * Access revocations on this node (ADR 006): a user who lost flows is cut from them on every open
 * connection at once (`flow-remove`, then nothing more), and loses presence there.
 */
import { flowsAllowed } from '../core/access/flow-gate';
import type { AccessRevocation } from '../core/access/revocation';
import { parseAccessRevoked } from '../core/events/control';
import { flowRemoveEvent } from '../core/events/live-events';
import { encodeEvent } from '../core/events/publish';
import { accessRevokedChannel, flowChannel, userChannel } from '../core/messaging/channels';
import type { Subscription } from '../core/ports/bus';
import type { Connection } from './connection';
import { envelopeOf } from './envelope';
import type { StreamingContext } from './streaming-context';

/**
 * Cuts `flowIds` from one connection. Each flow it watched gets a `flow-remove` first; with the user
 * channel (`user=1`) every revoked flow does, watched or not (spec §4: the user's own flow-remove).
 */
export function cutConnection(connection: Connection, flowIds: readonly string[]): void {
  const userId = connection.user.id;
  const onUserChannel = connection.watches(userChannel(userId));
  const now = Date.now();
  for (const flowId of flowIds) {
    if (!onUserChannel && !connection.watches(flowChannel(flowId))) continue;
    const envelope = envelopeOf(Buffer.from(encodeEvent(flowRemoveEvent(userId, flowId, now))));
    if (envelope) connection.enqueueEvent(envelope);
  }
  // Synchronous: no event of these flows can reach the connection after its flow-remove.
  connection.revokeFlows(flowIds);
}

/** Applies one revocation to every local connection of the user, then drops their presence here. */
export function applyRevocation(ctx: StreamingContext, { userId, flowIds }: AccessRevocation): void {
  ctx.revocations.record(userId, flowIds);
  // Before anything else: no subscription from here on is answered from a cached allow.
  ctx.flowAccess.forgetUser(userId);
  for (const connection of ctx.connections) if (connection.user.id === userId && !connection.isClosed) cutConnection(connection, flowIds);
  // After the cut no presence timer of this node touches these flows again for the user.
  for (const flowId of flowIds) {
    ctx.deps.presence.forget(flowId, userId).catch((err: unknown) => ctx.deps.log.warn({ err, flow: flowId }, 'presence forget failed'));
  }
}

/** Subscribes the node to the revocation channel; resolves once nothing published afterwards can be missed. */
export function listenForRevocations(ctx: StreamingContext): Promise<Subscription> {
  return ctx.deps.bus.subscribe(accessRevokedChannel, (payload) => {
    const revocation = parseAccessRevoked(payload);
    if (!revocation) return ctx.deps.log.warn({ channel: accessRevokedChannel }, 'dropped a malformed access revocation');
    applyRevocation(ctx, revocation);
  });
}

/**
 * After a bus gap revocations may have been lost like any other message: re-asks the gate for every
 * flow each connection watched before the check, and cuts what is no longer readable.
 */
export async function revalidateConnections(ctx: StreamingContext): Promise<void> {
  ctx.flowAccess.clear();
  const byUser = new Map<number, { connection: Connection; flows: string[] }[]>();
  for (const connection of ctx.connections) {
    if (connection.isClosed) continue;
    const entry = { connection, flows: connection.watchedFlows() };
    byUser.set(connection.user.id, [...(byUser.get(connection.user.id) ?? []), entry]);
  }
  for (const [userId, entries] of byUser) {
    const readable = new Set((await flowsAllowed(ctx.deps.directory, userId, 'read')).map((f) => f.flow.id));
    const lost = new Set(entries.flatMap((e) => e.flows.filter((id) => !readable.has(id))));
    if (lost.size === 0) continue;
    ctx.deps.log.info({ user: userId, flows: [...lost] }, 'access lost during a bus gap: cut');
    applyRevocation(ctx, { userId, flowIds: [...lost] });
  }
}
