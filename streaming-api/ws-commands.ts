/**
 * The WebSocket commands of an authenticated client. Each frame is parsed (ws-protocol.ts), handed
 * to the core action REST calls for the same change, and answered: `ack` with the stored event, or
 * the error frame of whatever the action threw (the mapping REST uses).
 */
import { deleteMessage } from '../core/actions/delete-message';
import { editMessage } from '../core/actions/edit-message';
import { postMessage, type PostTarget } from '../core/actions/post-message';
import { sendTyping } from '../core/actions/send-typing';
import { setPresence } from '../core/actions/set-presence';
import { tagMessage } from '../core/actions/tag-message';
import type { MessageJson } from '../core/domain/types';
import { enforceRateLimit } from '../core/enforce-rate-limit';
import { notFound } from '../core/errors';
import type { CommandSession } from './ws-command-session';
import type { ClientFrame } from './ws-protocol';
import { flowIdOf, subscribe, unsubscribe } from './ws-subscriptions';

type Frame<T extends ClientFrame['type']> = Extract<ClientFrame, { type: T }>;

/** Runs one command; whatever it throws becomes the error frame of the frame (ws-session.ts). */
export async function runCommand(session: CommandSession, frame: ClientFrame): Promise<void> {
  // auth and ping are the session's own; unsubscribing costs nothing.
  if (frame.type === 'auth' || frame.type === 'ping') return;
  if (frame.type === 'unsubscribe') return unsubscribe(session, frame);
  await spendBudget(session);
  switch (frame.type) {
    case 'subscribe':
      return subscribe(session, frame);
    case 'post':
      return post(session, frame);
    case 'edit':
    case 'tag':
    case 'delete':
      return change(session, frame);
    case 'presence':
      return presence(session, frame);
    case 'typing':
      return typing(session, frame);
  }
}

/**
 * Every command that makes the server work spends the user's budget, the same one REST requests
 * spend: a 429 error frame past it.
 */
async function spendBudget(session: CommandSession): Promise<void> {
  const { rateLimiter, metrics } = session.ctx.deps;
  if (rateLimiter) await enforceRateLimit(rateLimiter, `user:${session.user.id}`, () => metrics.rateLimited.inc());
}

function ack(session: CommandSession, ref: string | number | undefined, message: MessageJson): void {
  session.send({ type: 'ack', ...(ref !== undefined ? { ref } : {}), message });
}

/** Posts through postMessage, the same action (validation, authorization, idempotency) as REST. */
async function post(session: CommandSession, frame: Frame<'post'>): Promise<void> {
  const { type: _type, ref, flow, to, ...body } = frame;
  const target: PostTarget = flow !== undefined ? { kind: 'flow', flow: { ref: flow } } : { kind: 'private', userId: Number(to) };
  const { message } = await postMessage(session.ctx.actionDeps, session.user, target, body);
  ack(session, ref, message);
}

/** `edit`, `tag` and `delete`: the actions behind REST's `PUT` and `DELETE …/messages/:id`; the ack carries the event they produced. */
async function change(session: CommandSession, frame: Frame<'edit' | 'tag' | 'delete'>): Promise<void> {
  const { type, ref, flow, message, ...body } = frame;
  const deps = session.ctx.actionDeps;
  const at = { ref: flow };
  const event =
    type === 'edit' ? await editMessage(deps, session.user, at, message, body)
    : type === 'tag' ? await tagMessage(deps, session.user, at, message, body)
    : await deleteMessage(deps, session.user, at, message);
  ack(session, ref, event);
}

async function presence(session: CommandSession, frame: Frame<'presence'>): Promise<void> {
  const { deps } = session.ctx;
  await setPresence(deps, session.user, session.connection!.watchedFlows(), frame.state, (err) => deps.log.warn({ err }, 'presence publish failed'));
}

/**
 * Typing (and presence) only go to flows the client subscribed to: the gate allowed them at
 * subscribe time and a revocation removes them from the session, so no lookup per keystroke.
 */
async function typing(session: CommandSession, frame: Frame<'typing'>): Promise<void> {
  const flowId = flowIdOf(session, frame.flow);
  if (!flowId) throw notFound('subscribed flow');
  await sendTyping(session.ctx.deps, session.user, flowId);
}
