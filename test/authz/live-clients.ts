/** Clients for the authorization suite: HTTP streams (JSON lines or SSE) and WebSockets that record what they receive. */
import http from 'node:http';
import { WebSocket } from 'ws';
import { TestWs } from '../../streaming-api/testing/stream-test-harness';

export type Frame = Record<string, unknown>;

/** An open (or refused) HTTP stream and everything it received, parsed. */
export interface RecordedStream {
  status: number;
  /** Events (JSON lines, or SSE `data:` without an `event:` name), in arrival order. */
  events: Frame[];
  /** SSE control frames (`event: <type>`). */
  controls: Frame[];
  /** The `id:` lines seen (SSE). */
  ids: string[];
  /** The error body of a refused stream. */
  error: Frame | null;
  ended: boolean;
  close(): void;
}

/** Opens `url` as a stream; resolves once the head arrived (any status). */
export function openStream(url: string, auth: string, mode: 'json' | 'sse', headers: Record<string, string> = {}): Promise<RecordedStream> {
  return new Promise((resolve, reject) => {
    const accept = mode === 'sse' ? 'text/event-stream' : 'application/json';
    const req = http.get(url, { headers: { authorization: auth, accept, ...headers } }, (res) => {
      const rec: RecordedStream = { status: res.statusCode ?? 0, events: [], controls: [], ids: [], error: null, ended: false, close: () => req.destroy() };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        if (rec.status !== 200) return;
        const separator = mode === 'sse' ? '\n\n' : '\r\n';
        const parts = buffer.split(separator);
        buffer = parts.pop()!;
        for (const part of parts) record(rec, part, mode);
      });
      res.on('end', () => {
        rec.ended = true;
        if (rec.status !== 200 && buffer) rec.error = JSON.parse(buffer);
      });
      res.on('close', () => (rec.ended = true));
      res.on('error', () => undefined);
      resolve(rec);
    });
    req.on('error', reject);
  });
}

function record(rec: RecordedStream, part: string, mode: 'json' | 'sse'): void {
  if (mode === 'json') {
    if (part.trim()) rec.events.push(JSON.parse(part));
    return;
  }
  let event: string | null = null;
  let data = '';
  for (const line of part.split('\n')) {
    if (line.startsWith('id: ')) rec.ids.push(line.slice(4));
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (!data) return;
  (event ? rec.controls : rec.events).push(JSON.parse(data));
}

/** A WebSocket authenticated at the upgrade. */
export async function openWs(url: string, auth: string): Promise<TestWs> {
  const ws = new WebSocket(url, { headers: { authorization: auth } });
  const client = new TestWs(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  await client.next((f) => f.type === 'hello', 'hello');
  return client;
}
