/** HTTP streaming endpoints (spec §4): `GET /flows?filter=…` and `GET /flows/:org/:flow`, JSON lines or SSE. */
import type { NextFunction, Request, Response } from 'express';
import { Router } from 'express';
import { privatePeer } from '../core/access/flow-gate';
import { endsWithPasswordChange } from '../core/auth/authenticator';
import { requestCredentials } from '../core/auth/request-credentials';
import { type PresenceState, setPresence } from '../core/actions/set-presence';
import { isPrivateConversation, privateParticipants, type User } from '../core/domain/types';
import { AppError, errorAnswer, notFound, unauthenticated, validationError } from '../core/errors';
import { flowChannel, userChannel } from '../core/messaging/channels';
import { requestGuard } from '../infra/http/request-guard';
import type { Connection } from './connection';
import { MAX_STREAM_FLOWS, parseFilter, resolveFlowRefs } from './flow-refs';
import { type HttpStreamMode, HttpStreamSink } from './http-stream-sink';
import { type ResumeOutcome, type ResumeTarget, resumeChannel } from './resume';
import { decodeCursor, encodeCursor } from './sse-cursor';
import type { StreamCaller, StreamingContext } from './streaming-context';

/** First value of a query parameter (express may give arrays for repeated ones). */
function queryValue(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

function sendError(res: Response, error: AppError): void {
  if (res.headersSent) return;
  const answer = errorAnswer(error);
  if (answer.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(answer.retryAfterSeconds));
  res.status(answer.status).json(answer.body);
}

const asAppError = (error: unknown): AppError =>
  error instanceof AppError ? error : new AppError('UNAVAILABLE', 'stream could not be set up, retry', undefined, 2);

/**
 * Private conversations named in an SSE cursor that this user takes part in, with somebody they may
 * still talk to (the gate's rule for private conversations, as in REST); never anybody else's.
 */
async function privateTargets(ctx: StreamingContext, cursor: Map<string, number>, userId: number): Promise<ResumeTarget[]> {
  const named = [...cursor].filter(([conversation]) => isPrivateConversation(conversation) && privateParticipants(conversation).includes(userId));
  const peers = await Promise.all(
    named.map(([conversation]) => privatePeer(ctx.deps.directory, userId, privateParticipants(conversation).find((id) => id !== userId) ?? userId)),
  );
  return named.filter((_, i) => peers[i] !== null).map(([conversation, since]) => ({ conversation, since }));
}

/**
 * Keeps publishing `activity.user` while the stream is open, to the flows still in `flowIds` (a
 * revocation removes from it); returns the stop function.
 */
function startPresence(ctx: StreamingContext, user: User, flowIds: Set<string>, state: PresenceState): () => void {
  if (flowIds.size === 0) return () => {};
  const publish = (): void => {
    void setPresence(ctx.deps, user, [...flowIds], state, (err) => ctx.deps.log.warn({ err }, 'presence publish failed'));
  };
  publish();
  const timer = setInterval(publish, ctx.options.presenceIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Serves one stream request; every rejection is answered before any body, never 200-then-close. */
async function serveStream(ctx: StreamingContext, req: Request, res: Response, pathRef: string | null): Promise<void> {
  if (ctx.closing) return sendError(res, new AppError('UNAVAILABLE', 'server shutting down', undefined, 1));
  const query = req.query as Record<string, unknown>;
  let caller: StreamCaller;
  try {
    caller = await ctx.deps.authenticator.authenticateRequest(requestCredentials(req.headers, { accessToken: queryValue(query.access_token), clientAddress: req.ip, kind: 'read' }));
  } catch (error) {
    return sendError(res, asAppError(error));
  }
  const { user } = caller;
  res.setHeader('Flowdock-User', String(user.id));
  const withUser = ['1', 'true'].includes(queryValue(query.user) ?? '');
  const refs = pathRef ? [pathRef] : parseFilter(queryValue(query.filter));
  if (refs.length === 0 && !withUser) return sendError(res, validationError({ filter: ["can't be blank unless user=1"] }));
  if (refs.length > MAX_STREAM_FLOWS) return sendError(res, validationError({ filter: [`names more than ${MAX_STREAM_FLOWS} flows`] }));
  let resolved: Awaited<ReturnType<typeof resolveFlowRefs>>;
  // Taken before the access check: a revocation applied after it cuts this stream too (see below).
  const revocationMark = ctx.revocations.mark();
  try {
    resolved = await resolveFlowRefs(ctx.deps.directory, user.id, refs);
  } catch (error) {
    return sendError(res, asAppError(error));
  }
  const { flows, missing } = resolved;
  // Invisible and unknown flows look the same: 404, never 403 (no hint that the flow exists).
  if (missing !== null) return sendError(res, notFound('flow'));

  const accept = queryValue(query.accept) ?? req.headers.accept ?? '';
  const mode: HttpStreamMode = accept.includes('text/event-stream') ? 'sse' : 'json';
  const cursor = mode === 'sse' ? decodeCursor(queryValue(req.headers['last-event-id'])) : new Map<string, number>();
  const active = queryValue(query.active);
  const presenceState: PresenceState | null = active === 'true' ? 'active' : active === 'idle' ? 'idle' : null;
  let stopPresence = (): void => {};
  const liveFlows = new Set(flows.map((f) => f.flow.id));
  let connection: Connection;
  try {
    connection = ctx.openConnection(caller, new HttpStreamSink(res, mode, ctx.options.slowConsumerGraceMs), {
      encodeCursor: mode === 'sse' ? encodeCursor : undefined,
      onClosed: () => stopPresence(),
      onRevoked: (flowIds) => {
        for (const id of flowIds) liveFlows.delete(id);
        // Nothing left to stream: end it (after the flow-remove events already queued).
        if (liveFlows.size === 0 && !withUser) {
          connection.flush();
          connection.close('access revoked');
        }
      },
    });
  } catch (error) {
    return sendError(res, asAppError(error));
  }
  res.on('close', () => connection.close('client gone'));

  try {
    const privateResume = withUser ? await privateTargets(ctx, cursor, user.id) : null;
    await subscribeAll(ctx, connection, [...liveFlows], privateResume, cursor, mode);
  } catch (error) {
    ctx.deps.log.warn({ err: error, user: user.id }, 'stream setup failed');
    connection.close('server shutting down');
    return sendError(res, asAppError(error));
  }
  // Access lost while subscribing (checked before the commit, revocation applied before the join): refuse as if checked now.
  if (flows.some((f) => ctx.revocations.revokedSince(user.id, f.flow.id, revocationMark))) {
    connection.close('access revoked');
    return sendError(res, notFound('flow'));
  }
  if (connection.isClosed) {
    // Closed while subscribing: by the password's change (as a login refused now), else by a shutdown.
    const changed = endsWithPasswordChange(caller.login) && ctx.deps.authenticator.changedSince(user.id, caller.checkedAt);
    return sendError(res, changed ? unauthenticated('Your password changed while this stream opened: log in again') : new AppError('UNAVAILABLE', 'server shutting down', undefined, 1));
  }
  req.socket.setNoDelay(true);
  req.socket.setKeepAlive(true);
  res.writeHead(200, {
    'Content-Type': mode === 'sse' ? 'text/event-stream' : 'application/json',
    'Cache-Control': 'no-cache',
    // Proxies such as nginx would otherwise buffer the stream.
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  connection.markReady();
  if (presenceState) stopPresence = startPresence(ctx, user, liveFlows, presenceState);
}

/** Joins every flow (and the user channel), resuming from the SSE cursor where it names a position. */
async function subscribeAll(
  ctx: StreamingContext,
  connection: Connection,
  flowIds: string[],
  privateResume: ResumeTarget[] | null,
  cursor: Map<string, number>,
  mode: HttpStreamMode,
): Promise<void> {
  const announce = (outcome: ResumeOutcome): void => {
    if (outcome.resync) connection.sendControl({ type: 'resync', flow: outcome.conversation, reason: 'too many missed', last_id: outcome.lastId });
  };
  // SSE needs every flow's position in the cursor from the start, or a flow quiet during this
  // stream would be missing from Last-Event-ID and not resumed after a reconnect.
  const options = { needLastId: mode === 'sse', announce };
  const joins = flowIds.map((id) => resumeChannel(ctx.resumeDeps, connection, flowChannel(id), [{ conversation: id, since: cursor.get(id) }], options));
  if (privateResume) joins.push(resumeChannel(ctx.resumeDeps, connection, userChannel(connection.user.id), privateResume, options));
  await Promise.all(joins);
}

/** The stream router; the caller mounts it at `/` (streaming alone) or `/stream` (all services in one process). */
export function createHttpStreamRouter(ctx: StreamingContext): Router {
  const router = Router();
  const handle = (req: Request, res: Response, pathRef: string | null): void => {
    serveStream(ctx, req, res, pathRef).catch((error: unknown) => {
      ctx.deps.log.error({ err: error }, 'stream request failed');
      sendError(res, new AppError('INTERNAL', 'internal error'));
    });
  };
  // Malformed percent-encoding and NUL in the path or query: 400 before any lookup.
  router.use(requestGuard);
  router.get('/flows', (req, res) => handle(req, res, null));
  router.get('/flows/:org/:flow', (req, res) => handle(req, res, `${req.params.org}/${req.params.flow}`));
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => (error instanceof AppError ? sendError(res, error) : next(error)));
  return router;
}
