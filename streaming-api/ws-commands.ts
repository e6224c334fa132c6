/** The WebSocket commands of an authenticated client: subscribe, unsubscribe, post, presence, typing. */
import { allowedFlowRef } from '../core/access/flow-gate';
import { notFound } from '../core/errors';
import { flowChannel, userChannel } from '../core/messaging/channels';
import { enforceRateLimit } from '../core/enforce-rate-limit';
import { type PostTarget, postMessage } from '../core/messaging/post-message';
import { cutConnection } from './access-revocations';
import { publishPresence, typingEvent } from './live-events';
import { resumeChannel } from './resume';
import type { ClientFrame } from './ws-protocol';
import { errorFrame, type WsSession } from './ws-session';

type Frame<T extends ClientFrame['type']> = Extract<ClientFrame, { type: T }>;

/** Runs one command; AppErrors it throws become the error frame of the frame. */
export async function runCommand(session: WsSession, frame: ClientFrame): Promise<void> {
  switch (frame.type) {
    case 'subscribe':
      return subscribe(session, frame);
    case 'unsubscribe':
      return unsubscribe(session, frame);
    case 'post':
      return post(session, frame);
    case 'presence':
      return presence(session, frame);
    case 'typing':
      return typing(session, frame);
    default:
      // auth and ping are the session's own; nothing else parses.
      return;
  }
}

async function subscribe(session: WsSession, frame: Frame<'subscribe'>): Promise<void> {
  await spendBudget(session);
  const jobs = frame.flows.map((entry) => subscribeFlow(session, entry.flow, entry.since, frame.ref));
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
async function subscribeFlow(session: WsSession, ref: string, since: number | undefined, frameRef: string | number | undefined): Promise<void> {
  const connection = session.connection!;
  // Taken before the access check: a revocation applied after it cuts this subscription too (see below).
  const revocationMark = session.ctx.revocations.mark();
  const view = await allowedFlowRef(session.ctx.deps.directory, session.user.id, ref, 'read');
  if (!view) return session.send(errorFrame(notFound('flow'), frameRef, { flow: ref }));
  const flowId = view.flow.id;
  const path = `${view.organization.parameterizedName}/${view.flow.parameterizedName}`;
  if (session.flows.has(flowId)) {
    return session.send({ type: 'subscribed', flow: flowId, path, last_id: Math.max(0, connection.cursors.lastId(flowId) ?? 0) });
  }
  session.flows.set(flowId, path);
  try {
    await resumeChannel(session.ctx.resumeDeps, connection, flowChannel(flowId), [{ conversation: flowId, since }], {
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
    session.flows.delete(flowId);
    await connection.leave(flowChannel(flowId));
    session.send(errorFrame(error, frameRef, { flow: flowId }));
  }
}

async function unsubscribe(session: WsSession, frame: Frame<'unsubscribe'>): Promise<void> {
  const connection = session.connection!;
  for (const ref of frame.flows) {
    const flowId = flowIdOf(session, ref);
    if (!flowId) continue;
    session.flows.delete(flowId);
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
function flowIdOf(session: WsSession, ref: string): string | null {
  if (session.flows.has(ref)) return ref;
  const normalized = ref.replace(':', '/');
  for (const [id, path] of session.flows) if (path === normalized) return id;
  return null;
}

/**
 * Every command that makes the server work (post, typing, presence, subscribe) spends the user's
 * budget, the same one REST requests spend: a 429 error frame past it.
 */
async function spendBudget(session: WsSession): Promise<void> {
  const { rateLimiter, metrics } = session.ctx.deps;
  if (rateLimiter) await enforceRateLimit(rateLimiter, `user:${session.user.id}`, () => metrics.rateLimited.inc());
}

/** Posts through postMessage, the same action (validation, authorization, idempotency) as REST. */
async function post(session: WsSession, frame: Frame<'post'>): Promise<void> {
  await spendBudget(session);
  const { type: _type, ref, flow, to, ...body } = frame;
  let target: PostTarget;
  if (flow !== undefined) {
    // Seeing it is enough to name it; postMessage asks the gate whether this user may post there.
    const view = await allowedFlowRef(session.ctx.deps.directory, session.user.id, flow, 'see');
    if (!view) throw notFound('flow');
    target = { kind: 'flow', flowId: view.flow.id };
  } else {
    target = { kind: 'private', userId: Number(to) };
  }
  const { message } = await postMessage(session.ctx.deps.postDeps, session.user, target, body);
  session.send({ type: 'ack', ...(ref !== undefined ? { ref } : {}), message });
}

async function presence(session: WsSession, frame: Frame<'presence'>): Promise<void> {
  await spendBudget(session);
  await publishPresence(session.ctx.deps, [...session.flows.keys()], session.user.id, frame.state, (err) =>
    session.ctx.deps.log.warn({ err }, 'presence publish failed'),
  );
}

/**
 * Typing (and presence) only go to flows the client subscribed to: the gate allowed them at
 * subscribe time and a revocation removes them from the session, so no lookup per keystroke.
 */
async function typing(session: WsSession, frame: Frame<'typing'>): Promise<void> {
  await spendBudget(session);
  const flowId = flowIdOf(session, frame.flow);
  if (!flowId) throw notFound('subscribed flow');
  await session.ctx.deps.bus.publish(flowChannel(flowId), JSON.stringify(typingEvent(flowId, session.user.id, Date.now())));
}
