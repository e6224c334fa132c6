/** The HTTP streaming transport (spec §4): JSON lines + "\r\n", or Server-Sent Events; writes corked. */
import type { ServerResponse } from 'node:http';
import type { CloseReason, Outgoing, Sink } from './connection';

/** Shared constant buffers: the per-event framing costs no allocation. */
const CRLF = Buffer.from('\r\n');
/** A lone "\n": never a bare "\r\n", which node-flowdock would JSON.parse("") and crash on. */
const JSON_KEEP_ALIVE = Buffer.from('\n');
const SSE_KEEP_ALIVE = Buffer.from(':\n\n');
const SSE_DATA = Buffer.from('data: ');
const SSE_END = Buffer.from('\n\n');

export type HttpStreamMode = 'json' | 'sse';

/** Writes a streaming response. Events are written as the shared payload Buffer plus shared framing buffers. */
export class HttpStreamSink implements Sink {
  readonly transport = 'http' as const;

  constructor(
    private readonly res: ServerResponse,
    private readonly mode: HttpStreamMode,
    private readonly slowConsumerGraceMs: number,
  ) {}

  bufferedBytes(): number {
    return this.res.writableLength;
  }

  write(items: readonly Outgoing[]): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    const socket = this.res.socket;
    // Corked, the chunks of every item (and their chunked-encoding framing) leave in one writev.
    socket?.cork();
    try {
      for (const item of items) {
        if (this.mode === 'json') this.writeJson(item);
        else this.writeSse(item);
      }
    } finally {
      socket?.uncork();
    }
  }

  keepAlive(): void {
    if (this.res.writableEnded || this.res.destroyed) return;
    this.res.write(this.mode === 'json' ? JSON_KEEP_ALIVE : SSE_KEEP_ALIVE);
  }

  close(reason: CloseReason): void {
    if (this.res.destroyed) return;
    if (reason === 'client gone') {
      this.res.destroy();
      return;
    }
    // Before the 200 head the request handler answers with an error status instead.
    if (!this.res.headersSent) return;
    if (!this.res.writableEnded) this.res.end();
    // A slow client may never read the end of the response: do not hold its buffer forever.
    if (reason === 'slow consumer') setTimeout(() => this.res.destroy(), this.slowConsumerGraceMs).unref();
  }

  private writeJson(item: Outgoing): void {
    // JSON clients treat every line as an event; control frames are for WebSocket/SSE only.
    if (item.kind === 'batch') {
      this.res.write(item.batch.jsonLines());
    } else if (item.kind === 'event') {
      this.res.write(item.body);
      this.res.write(CRLF);
    }
  }

  private writeSse(item: Outgoing): void {
    // SSE connections carry a cursor per event, so the connection never queues them a shared batch.
    if (item.kind === 'batch') {
      for (const envelope of item.batch.envelopes) this.writeSse({ kind: 'event', body: envelope.bytes });
      return;
    }
    // Control frames get an event name, so that browsers' onmessage (events only) never sees them.
    if (item.kind === 'control') this.res.write(`event: ${item.type}\n`);
    else if (item.cursor) this.res.write(`id: ${item.cursor}\n`);
    this.res.write(SSE_DATA);
    this.res.write(item.body);
    this.res.write(SSE_END);
  }
}
