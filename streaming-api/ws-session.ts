/** WsSession: one WebSocket client from upgrade to close: authentication, frame parsing and dispatch, error frames. */
import type { WebSocket } from 'ws';
import type { User } from '../core/domain/types';
import { AppError } from '../core/errors';
import type { Connection } from './connection';
import { runCommand } from './ws-commands';
import type { CommandSession } from './ws-command-session';
import { type ClientFrame, errorFrame, parseClientFrame, readFrameJson, refOf } from './ws-protocol';
import { CLOSE_CODES, TOO_MANY_CONNECTIONS, WsSink } from './ws-sink';
import type { StreamCaller, StreamingContext } from './streaming-context';

/**
 * A client is authenticated at the upgrade (header or `access_token`) or by its first `auth` frame
 * within `authTimeoutMs`; only then does it get a Connection (and count as one). Frames are
 * handled concurrently: answers carry the frame's `ref` for correlation.
 */
export class WsSession implements CommandSession {
  /** Set once authenticated. */
  connection: Connection | null = null;
  /** Flow ids this client subscribed to (value: the `org/flow` path). */
  readonly flows = new Map<string, string>();
  userSubscribed = false;
  private authTimer: NodeJS.Timeout | null = null;
  private authenticating = false;

  constructor(
    readonly ctx: StreamingContext,
    readonly ws: WebSocket,
    caller: StreamCaller | null,
    /** The client's address, for the failed-login limit of `auth` frames. */
    private readonly clientAddress?: string,
  ) {
    ws.on('message', (data: Buffer, isBinary: boolean) => this.wsOnMessage(data, isBinary));
    ws.on('close', () => this.wsOnClose());
    // Socket errors are followed by 'close'; without a listener they would crash the process.
    ws.on('error', (err) => ctx.deps.log.debug({ err }, 'websocket error'));
    if (caller) this.open(caller);
    else {
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

  private open(caller: StreamCaller): void {
    const { user } = caller;
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
    try {
      this.connection = this.ctx.openConnection(caller, new WsSink(this.ws, this.ctx.options.slowConsumerGraceMs), {
        // Access lost: the flow-remove event is already queued; the subscription ends with it (no more typing or presence there).
        onRevoked: (flowIds) => {
          for (const flowId of flowIds) {
            this.flows.delete(flowId);
            this.send({ type: 'unsubscribed', flow: flowId, reason: 'access revoked' });
          }
        },
      });
    } catch (error) {
      // Over the per-user cap, or the password changed while logging in: say why in a frame and in the close, then close.
      const frame = errorFrame(error, undefined);
      if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
      if (error instanceof AppError && error.code === 'UNAUTHENTICATED') this.ws.close(CLOSE_CODES['credentials changed'], 'credentials changed');
      else this.ws.close(TOO_MANY_CONNECTIONS, 'too many connections');
      return;
    }
    this.connection.markReady();
    this.send({ type: 'hello', user: { id: user.id, nick: user.nick, name: user.name } });
  }

  private wsOnMessage(data: Buffer, isBinary: boolean): void {
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

  private wsOnClose(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.connection?.close('client gone');
  }
}
