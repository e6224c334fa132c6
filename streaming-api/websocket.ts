/** The WebSocket endpoint: upgrade handling and authentication at the upgrade (header, `access_token`, or the app's session cookie from the app's origin). */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { requestCredentials } from '../core/auth/request-credentials';
import { AppError, errorAnswer } from '../core/errors';
import type { StreamCaller, StreamingContext } from './streaming-context';
import { WsSession } from './ws-session';

/** Answers a refused upgrade with a plain HTTP response (status + JSON body) and closes the socket. */
function refuseUpgrade(socket: Duplex, error: AppError): void {
  const answer = errorAnswer(error);
  const body = JSON.stringify(answer.body);
  const reason = ({ 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests', 503: 'Service Unavailable' } as Record<number, string>)[answer.status] ?? 'Error';
  // As REST answers it (web-api/http/error-handler.ts): a locked-out login says when to come back.
  const retryAfter = answer.retryAfterSeconds === undefined ? '' : `Retry-After: ${answer.retryAfterSeconds}\r\n`;
  socket.end(
    `HTTP/1.1 ${answer.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${retryAfter}Connection: close\r\n\r\n${body}`,
  );
}

export interface WebSocketEndpoint {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Sessions not yet closed, authenticated or not. */
  readonly sessions: Set<WsSession>;
  close(): void;
}

export function createWebSocketEndpoint(ctx: StreamingContext): WebSocketEndpoint {
  // Deflate off: frames are then written synchronously and without a per-connection copy, which
  // the corked fan-out relies on; chat events are small and compress per connection only.
  const wss = new WebSocketServer({ noServer: true, maxPayload: ctx.options.maxPayloadBytes, perMessageDeflate: false, clientTracking: false });
  const sessions = new Set<WsSession>();

  // Stays on the socket for its lifetime, so it is one function for all: a closure made per upgrade
  // would keep that upgrade's scope, the whole request with its headers, alive with the socket.
  const socketOnError = (err: Error) => ctx.deps.log.debug({ err }, 'upgrade socket error');

  const accept = (req: IncomingMessage, socket: Duplex, head: Buffer, caller: StreamCaller | null): void => {
    if (ctx.closing || socket.destroyed) {
      refuseUpgrade(socket, new AppError('UNAVAILABLE', 'server shutting down'));
      return;
    }
    const address = req.socket.remoteAddress;
    wss.handleUpgrade(req, socket, head, (ws) => new WsSession(ctx, ws, caller, address, sessions));
  };

  return {
    sessions,
    handleUpgrade(req, socket, head) {
      // Until the upgrade completes nobody else listens for socket errors.
      socket.on('error', socketOnError);
      if (ctx.closing) return refuseUpgrade(socket, new AppError('UNAVAILABLE', 'server shutting down'));
      const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('access_token') ?? undefined;
      const credentials = requestCredentials(req.headers, { accessToken: token, clientAddress: req.socket.remoteAddress, kind: 'upgrade' });
      // Nothing presented: the first frame authenticates (`auth`).
      if (!credentials.authorization && !token && !credentials.sessionToken) return accept(req, socket, head, null);
      ctx.deps.authenticator.authenticateRequest(credentials).then(
        (caller) => accept(req, socket, head, caller),
        (error: unknown) => refuseUpgrade(socket, error instanceof AppError ? error : new AppError('UNAVAILABLE', 'authentication unavailable')),
      );
    },
    close() {
      for (const session of sessions) session.closeForShutdown();
    },
  };
}
