/** The WebSocket `subscribe` and `unsubscribe` frames: flows (through the access gate, with resume) and the user channel. */
import type { FlowAccess } from '../core/ports/directory';
import { notFound } from '../core/errors';
import { flowChannel, userChannel } from '../core/messaging/channels';
import { cutConnection } from './access-revocations';
import { resumeChannel } from './resume';
import type { CommandSession } from './ws-command-session';
import { type ClientFrame, errorFrame } from './ws-protocol';

type Frame<T extends ClientFrame['type']> = Extract<ClientFrame, { type: T }>;

export async function subscribe(session: CommandSession, frame: Frame<'subscribe'>): Promise<void> {
  // Taken before the access check: a revocation applied after it cuts these subscriptions too (see below).
  const revocationMark = session.ctx.revocations.mark();
  const views = await session.ctx.flowAccess.readable(session.user.id, frame.flows.map((entry) => entry.flow));
  const jobs = frame.flows.map((entry, i) => subscribeFlow(session, entry.flow, views[i]!, entry.since, frame.ref, revocationMark));
  if (frame.user && !session.userSubscribed) {
    session.userSubscribed = true;
    jobs.push(
      session.connection!.join(userChannel(session.user.id)).then(
        () => session.send({ type: 'subscribed', user: true }),
        (error: unknown) => {
          session.userSubscribed = false;
          throw error;
        },
      ),
    );
  }
  await Promise.all(jobs);
}

/** Subscribes one flow, resuming after `since`; answers `subscribed` (after any backfill) or an error naming the flow. */
async function subscribeFlow(
  session: CommandSession,
  ref: string,
  view: FlowAccess | null,
  since: number | undefined,
  frameRef: string | number | undefined,
  revocationMark: number,
): Promise<void> {
  const connection = session.connection!;
  if (!view) return session.send(errorFrame(notFound('flow'), frameRef, { flow: ref }));
  const flowId = view.flow.id;
  const path = `${view.organization.parameterizedName}/${view.flow.parameterizedName}`;
  // Joining is synchronous up to the hub's subscription: a second subscribe of the flow sees it at once.
  if (connection.watches(flowChannel(flowId))) {
    return session.send({ type: 'subscribed', flow: flowId, path, last_id: Math.max(0, connection.cursors.lastId(flowId) ?? 0) });
  }
  try {
    await resumeChannel(session.ctx.resumeDeps, connection, flowChannel(flowId), [{ conversation: flowId, since }], {
      label: path,
      needLastId: true,
      announce: (outcome) => {
        if (outcome.resync) session.send({ type: 'resync', flow: flowId, reason: 'too many missed', last_id: outcome.lastId });
        session.send({ type: 'subscribed', flow: flowId, path, last_id: outcome.lastId });
      },
    });
    // Checked before the block committed, joined after this node applied its revocation: cut it now.
    if (session.ctx.revocations.revokedSince(session.user.id, flowId, revocationMark)) cutConnection(connection, [flowId]);
  } catch (error) {
    session.ctx.deps.log.warn({ err: error, flow: flowId }, 'subscribe failed');
    await connection.leave(flowChannel(flowId));
    session.send(errorFrame(error, frameRef, { flow: flowId }));
  }
}

export async function unsubscribe(session: CommandSession, frame: Frame<'unsubscribe'>): Promise<void> {
  const connection = session.connection!;
  for (const ref of frame.flows) {
    const flowId = flowIdOf(session, ref);
    if (!flowId) continue;
    connection.cursors.forget(flowId);
    await connection.leave(flowChannel(flowId));
    session.send({ type: 'unsubscribed', flow: flowId });
  }
  if (frame.user && session.userSubscribed) {
    session.userSubscribed = false;
    await connection.leave(userChannel(session.user.id));
    session.send({ type: 'unsubscribed', user: true });
  }
}

/** A subscribed flow's id from its id or its `org/flow` path; null when not subscribed. */
export function flowIdOf(session: CommandSession, ref: string): string | null {
  const connection = session.connection!;
  if (connection.watches(flowChannel(ref))) return ref;
  const normalized = ref.replace(':', '/');
  return connection.watchedFlows().find((id) => connection.labelOf(flowChannel(id)) === normalized) ?? null;
}

