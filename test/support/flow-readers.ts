/**
 * Readers of one flow that stay connected for a whole test: a WebSocket subscriber and a JSON
 * HTTP stream, each recording the message ids it received and anything that would make a real
 * client refetch or reconnect (a `resync` frame, the socket or response ending).
 */
import { request } from 'node:http';
import WebSocket from 'ws';

/** What a reader saw; the same object all along (a reader never reconnects, so a drop is final). */
export interface FlowReader {
  readonly transport: 'ws' | 'http';
  /** Port of the streaming node it is connected to. */
  readonly port: number;
  /** Message ids of the flow, in arrival order. */
  readonly ids: number[];
  /** `resync` control frames received (WebSocket only: JSON streams have none). */
  readonly resyncs: unknown[];
  /** Why the connection ended before {@link close}, or null while it is open. */
  dropped(): string | null;
  /** Resolves once `count` ids arrived; rejects after `timeoutMs` or when the connection drops. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  close(): void;
}

/** Where a reader connects: the streaming node, the credentials and the flow. */
export interface ReaderTarget {
  port: number;
  token: string;
  flowId: string;
  /** `org/flow`, as the HTTP stream path names it. */
  flowPath: string;
}

/** The bookkeeping both transports share: ids, resyncs, waiters, the drop. */
class Recorder {
  readonly ids: number[] = [];
  readonly resyncs: unknown[] = [];
  private waiters = new Set<() => void>();
  private droppedWhy: string | null = null;
  closing = false;

  constructor(private readonly flowId: string) {}

  /** One event or control frame as parsed JSON. */
  frame(frame: { type?: string; event?: string; flow?: string; id?: number }): void {
    if (frame.type === 'resync') this.resyncs.push(frame);
    else if (frame.event === 'message' && frame.flow === this.flowId && typeof frame.id === 'number') this.ids.push(frame.id);
    this.wake();
  }

  drop(why: string): void {
    if (this.closing || this.droppedWhy !== null) return;
    this.droppedWhy = why;
    this.wake();
  }

  dropped(): string | null {
    return this.droppedWhy;
  }

  waitFor(count: number, timeoutMs: number, transport: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${transport} reader has ${this.ids.length} of ${count} messages after ${timeoutMs} ms`)), timeoutMs);
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (this.ids.length >= count) done();
        else if (this.droppedWhy !== null) done(new Error(`${transport} reader dropped: ${this.droppedWhy}`));
      };
      this.waiters.add(check);
      check();
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function reader(transport: 'ws' | 'http', port: number, recorder: Recorder, close: () => void): FlowReader {
  return {
    transport,
    port,
    ids: recorder.ids,
    resyncs: recorder.resyncs,
    dropped: () => recorder.dropped(),
    waitFor: (count, timeoutMs) => recorder.waitFor(count, timeoutMs, `${transport} (port ${port})`),
    close: () => {
      recorder.closing = true;
      close();
    },
  };
}

/** A WebSocket subscribed to the flow; resolves once the server confirmed the subscription. */
export async function openWsReader(target: ReaderTarget): Promise<FlowReader> {
  const ws = new WebSocket(`ws://127.0.0.1:${target.port}/ws`, { headers: { authorization: `Bearer ${target.token}` } });
  const recorder = new Recorder(target.flowId);
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', flows: [{ flow: target.flowId }] }));
      else if (frame.type === 'subscribed') resolve();
      else recorder.frame(frame);
    });
  });
  ws.on('error', (error) => recorder.drop(`error: ${error.message}`));
  ws.on('close', (code, reason) => recorder.drop(`closed ${code} ${reason.toString()}`));
  return reader('ws', target.port, recorder, () => ws.close());
}

/** A JSON HTTP stream of the flow (`GET /flows/:org/:flow`); resolves once the 200 head arrived. */
export async function openHttpReader(target: ReaderTarget): Promise<FlowReader> {
  const recorder = new Recorder(target.flowId);
  const req = request({
    host: '127.0.0.1', port: target.port, path: `/flows/${target.flowPath}`,
    headers: { authorization: `Bearer ${target.token}`, accept: 'application/json' },
  });
  await new Promise<void>((resolve, reject) => {
    req.once('error', reject);
    req.on('response', (res) => {
      if (res.statusCode !== 200) return reject(new Error(`HTTP stream answered ${res.statusCode}`));
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        // Events end with "\r\n"; a lone "\n" is a keep-alive.
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) if (line.trim()) recorder.frame(JSON.parse(line));
      });
      res.on('end', () => recorder.drop('response ended'));
      res.on('error', (error) => recorder.drop(`response error: ${error.message}`));
      resolve();
    });
    req.end();
  });
  req.on('error', (error) => recorder.drop(`request error: ${error.message}`));
  req.on('close', () => recorder.drop('request closed'));
  return reader('http', target.port, recorder, () => req.destroy());
}

/** A WebSocket and an HTTP stream reader on each of the streaming nodes `ports`. */
export async function openReaders(ports: readonly number[], target: Omit<ReaderTarget, 'port'>): Promise<FlowReader[]> {
  const readers: FlowReader[] = [];
  for (const port of ports) readers.push(await openWsReader({ ...target, port }), await openHttpReader({ ...target, port }));
  return readers;
}
