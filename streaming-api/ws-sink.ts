/** The WebSocket transport under a connection: text frames of the shared bytes, corked; ping/pong liveness. */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { CloseReason, Outgoing, Sink } from './connection';

/** WebSocket close codes by reason (4000-4999 are ours; documented in docs/websocket.md). */
export const CLOSE_CODES: Record<Exclude<CloseReason, 'client gone'>, number> = {
  'slow consumer': 4008,
  'too far behind': 4009,
  'server shutting down': 1001,
  'keep-alive timeout': 1001,
  unauthenticated: 4001,
  // The password that opened it changed: like a failed login, the client must log in again.
  'credentials changed': 4001,
  // WebSockets are never closed for this (they stay open for their other flows); HTTP streams are ended.
  'access revoked': 4003,
};

/** Close code of a WebSocket refused because its user holds too many connections already (after a 429 error frame). */
export const TOO_MANY_CONNECTIONS = 4029;

/**
 * `ws` has no cork API. Its Sender writes every frame straight to this net.Socket (with
 * perMessageDeflate off, synchronously and in order), so corking the socket around a batch of
 * `send` calls turns N frames into one writev syscall, and a batch's frames, built once for all
 * subscribers, can be written to it directly between them (ADR 023). `_socket` is internal to ws,
 * hence this one typed access in one place.
 */
function rawSocketOf(ws: WebSocket): Socket | undefined {
  return (ws as unknown as { _socket?: Socket })._socket;
}

export class WsSink implements Sink {
  readonly transport = 'ws' as const;
  private awaitingPong = false;

  /** The owner listens for the socket's 'pong' and calls {@link pongReceived} (one shared listener, ws-session.ts). */
  constructor(
    private readonly ws: WebSocket,
    private readonly graceMs: number,
  ) {}

  bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  write(items: readonly Outgoing[]): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const socket = rawSocketOf(this.ws);
    // The steady state: one flow's batch, already framed: one write, no cork needed.
    if (items.length === 1 && items[0]!.kind === 'batch' && socket) {
      socket.write(items[0]!.batch.wsFrames());
      return;
    }
    socket?.cork();
    try {
      for (const item of items) {
        if (item.kind !== 'batch') this.ws.send(item.body, { binary: false });
        else if (socket) socket.write(item.batch.wsFrames());
        else for (const envelope of item.batch.envelopes) this.ws.send(envelope.bytes, { binary: false });
      }
    } finally {
      socket?.uncork();
    }
  }

  /** Pings; a peer that did not answer the previous ping is gone and is cut off. */
  keepAlive(): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.awaitingPong) {
      this.ws.terminate();
      return;
    }
    this.awaitingPong = true;
    this.ws.ping();
  }

  close(reason: CloseReason): void {
    if (reason === 'client gone' || this.ws.readyState === this.ws.CLOSED) return;
    this.ws.close(CLOSE_CODES[reason], reason);
    // The close frame waits behind unsent data; a client that stopped reading never gets it.
    setTimeout(() => this.ws.terminate(), this.graceMs).unref();
  }

  pongReceived(): void {
    this.awaitingPong = false;
  }
}
