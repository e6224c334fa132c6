/** The IRC transport under a connection: events rendered to IRC lines per client (irc-event-lines.ts), written corked; PING liveness. */
import type { Socket } from 'node:net';
import type { CloseReason, Outgoing, Sink } from '../connection';
import { type EventJson, renderEvent, type SessionView } from './irc-event-lines';
import { formatLine } from './irc-line';

/** A control frame carrying ready IRC lines (sent through the connection so they stay ordered with events). */
export interface IrcLinesFrame {
  type: 'irc';
  lines: string[];
}

export class IrcSink implements Sink {
  readonly transport = 'irc' as const;
  private awaitingPong = false;

  constructor(
    private readonly socket: Socket,
    private readonly view: SessionView,
    private readonly graceMs: number,
  ) {}

  bufferedBytes(): number {
    return this.socket.writableLength;
  }

  /** Any line from the client proves it alive. */
  heardFromClient(): void {
    this.awaitingPong = false;
  }

  write(items: readonly Outgoing[]): void {
    if (this.socket.destroyed) return;
    this.socket.cork();
    try {
      for (const item of items) for (const line of this.linesOf(item)) this.socket.write(line);
    } finally {
      this.socket.uncork();
    }
  }

  keepAlive(): void {
    if (this.socket.destroyed) return;
    if (this.awaitingPong) {
      this.socket.destroy();
      return;
    }
    this.awaitingPong = true;
    this.socket.write(formatLine(null, 'PING', [this.view.serverName]));
  }

  close(reason: CloseReason): void {
    if (this.socket.destroyed) return;
    if (reason !== 'client gone') this.socket.end(formatLine(null, 'ERROR', [`Closing link: ${reason}`]));
    else this.socket.end();
    // ERROR waits behind unsent data; a client that stopped reading never gets it.
    setTimeout(() => this.socket.destroy(), this.graceMs).unref();
  }

  private linesOf(item: Outgoing): string[] {
    if (item.kind === 'batch') return item.batch.envelopes.flatMap((envelope) => this.linesOf({ kind: 'event', body: envelope.bytes }));
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(item.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return [];
    }
    if (item.kind === 'event') return renderEvent(this.view, parsed as unknown as EventJson);
    if (parsed.type === 'irc') return (parsed as unknown as IrcLinesFrame).lines;
    if (parsed.type === 'resync') {
      const where = typeof parsed.flow === 'string' ? (this.view.channelOf(parsed.flow) ?? this.view.me.nick) : this.view.me.nick;
      return [formatLine(this.view.serverName, 'NOTICE', [where, 'Too many messages were missed to replay here; read the rest in the app or over the REST API'])];
    }
    return [];
  }
}
