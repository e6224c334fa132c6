/** WsSession: one WebSocket client from upgrade to close: authentication, frame parsing and dispatch, error frames. */
import type { WebSocket } from 'ws';
import type { User } from '../core/domain/types';
import { AppError } from '../core/errors';
import type { Connection, ConnectionHooks } from './connection';
import { runCommand } from './ws-commands';
import type { CommandSession } from './ws-command-session';
import { type ClientFrame, errorFrame, parseClientFrame, readFrameJson, refOf } from './ws-protocol';
import { CLOSE_CODES, TOO_MANY_CONNECTIONS, WsSink } from './ws-sink';
import type { StreamCaller, StreamingContext } from './streaming-context';

/** The session of a socket, set on the socket itself so that its listeners can be shared functions. */
const SESSION = Symbol('wsSession');
type SessionSocket = WebSocket & { [SESSION]?: WsSession };

// The socket's listeners are one function each for every session, `this` being the socket (as
// EventEmitter calls them): closures made per socket would cost every idle connection (ADR 032).
function wsOnMessage(this: SessionSocket, data: Buffer, isBinary: boolean): void {
  this[SESSION]?.handleFrame(data, isBinary);
}
function wsOnClose(this: SessionSocket): void {
  this[SESSION]?.handleClose();
}
function wsOnPong(this: SessionSocket): void {
  this[SESSION]?.sink?.pongReceived();
}
// Socket errors are followed by 'close'; without a listener they would crash the process.
function wsOnError(this: SessionSocket, err: Error): void {
  this[SESSION]?.ctx.deps.log.debug({ err }, 'websocket error');
}

/**
 * A client is authenticated at the upgrade (header or `access_token`) or by its first `auth` frame
 * within `authTimeoutMs`; only then does it get a Connection (and count as one). Frames are
 * handled concurrently: answers carry the frame's `ref` for correlation. The session is its
 * connection's hooks (no per-connection closures).
 */
export class WsSession implements CommandSession, ConnectionHooks {
  /** Set once authenticated. */
  connection: Connection | null = null;
  /** The connection's transport, set with it. */
  sink: WsSink | null = null;
  userSubscribed = false;
  private authTimer: NodeJS.Timeout | null = null;
  private authenticating = false;
  /** The client's address, for the failed-login limit of `auth` frames; kept only until authenticated. */
  private clientAddress: string | undefined;

  constructor(
    readonly ctx: StreamingContext,
    readonly ws: WebSocket,
    caller: StreamCaller | null,
    clientAddress: string | undefined,
    /** The endpoint's open sessions: this one leaves it when its socket closes. */
    private readonly sessions: Set<WsSession>,
  ) {
    (ws as SessionSocket)[SESSION] = this;
    ws.on('message', wsOnMessage);
    ws.on('close', wsOnClose);
    ws.on('pong', wsOnPong);
    ws.on('error', wsOnError);
    sessions.add(this);
    if (caller) this.open(caller);
    else {
      this.clientAddress = clientAddress;
      this.authTimer = setTimeout(() => this.closeUnauthenticated('authentication timeout'), ctx.options.authTimeoutMs);
      this.authTimer.unref();
    }
  }

  get user(): User {
    if (!this.connection) throw new Error('not authenticated');
    return this.connection.user;
  }

  /** Sends a control frame: through the connection once open (ordered with events), directly before. */
  send(frame: { type: string } & Record<string, unknown>): void {
    if (this.connection) this.connection.sendControl(frame);
    else if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  /** Shutdown: a socket that never authenticated has no Connection to close. */
  closeForShutdown(): void {
    if (this.connection) this.connection.close('server shutting down');
    else this.ws.close(CLOSE_CODES['server shutting down'], 'server shutting down');
  }

  /** Access lost (the connection's hook): the flow-remove event is already queued; the subscription ends with it (no more typing or presence there). */
  onRevoked(flowIds: string[]): void {
    for (const flowId of flowIds) this.send({ type: 'unsubscribed', flow: flowId, reason: 'access revoked' });
  }

  private open(caller: StreamCaller): void {
    const { user } = caller;
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
    this.clientAddress = undefined;
    const sink = new WsSink(this.ws, this.ctx.options.slowConsumerGraceMs);
    try {
      this.connection = this.ctx.openConnection(caller, sink, this);
    } catch (error) {
      // Over the per-user cap, or the password changed while logging in: say why in a frame and in the close, then close.
      const frame = errorFrame(error, undefined);
      if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
      if (error instanceof AppError && error.code === 'UNAUTHENTICATED') this.ws.close(CLOSE_CODES['credentials changed'], 'credentials changed');
      else this.ws.close(TOO_MANY_CONNECTIONS, 'too many connections');
      return;
    }
    this.sink = sink;
    this.connection.markReady();
    this.send({ type: 'hello', user: { id: user.id, nick: user.nick, name: user.name } });
  }

  /** A frame from the client (the socket's 'message'). */
  handleFrame(data: Buffer, isBinary: boolean): void {
    let parsed: unknown;
    let frame: ClientFrame;
    try {
      parsed = readFrameJson(data, isBinary, this.ctx.options.maxJsonDepth);
      frame = parseClientFrame(parsed);
    } catch (error) {
      this.send(errorFrame(error, refOf(parsed)));
      return;
    }
    this.dispatch(frame).catch((error: unknown) => {
      if (!(error instanceof AppError)) this.ctx.deps.log.error({ err: error, type: frame.type }, 'websocket frame failed');
      this.send(errorFrame(error, frame.ref));
    });
  }

  private async dispatch(frame: ClientFrame): Promise<void> {
    if (frame.type === 'ping') return this.send({ type: 'pong', ...(frame.ref !== undefined ? { ref: frame.ref } : {}) });
    if (frame.type === 'auth') return this.authenticate(frame);
    if (!this.connection) throw new AppError('UNAUTHENTICATED', 'send an auth frame first');
    await runCommand(this, frame);
  }

  private async authenticate(frame: Extract<ClientFrame, { type: 'auth' }>): Promise<void> {
    if (this.connection || this.authenticating) throw new AppError('VALIDATION_FAILED', 'Validation error: type', { type: ['already authenticated'] });
    this.authenticating = true;
    const header = frame.token === undefined ? `Basic ${Buffer.from(`${frame.email}:${frame.password}`).toString('base64')}` : undefined;
    try {
      const caller = await this.ctx.deps.authenticator.authenticate(header, frame.token, this.clientAddress);
      if (this.ws.readyState === this.ws.OPEN && !this.ctx.closing) this.open(caller);
    } catch (error) {
      this.send(errorFrame(error, frame.ref));
      this.closeUnauthenticated('unauthenticated');
    } finally {
      this.authenticating = false;
    }
  }

  private closeUnauthenticated(reason: string): void {
    if (this.connection) return;
    this.ws.close(CLOSE_CODES.unauthenticated, reason);
    setTimeout(() => this.ws.terminate(), this.ctx.options.slowConsumerGraceMs).unref();
  }

  /** The socket closed. */
  handleClose(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.sessions.delete(this);
    this.connection?.close('client gone');
  }
}
