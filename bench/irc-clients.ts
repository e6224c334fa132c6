/** Raw IRC and WebSocket subscribers for `npm run bench:irc`: each records `now − sent` of every `bench <sent>` message it receives. */
import { connect } from 'node:net';
import WebSocket from 'ws';
import { Histogram, nowMs } from './stats';

/** Deliveries and their latencies, shared by all the subscribers of one run. */
export class Deliveries {
  readonly latency = new Histogram();
  firstAt = 0;
  lastAt = 0;
  record(sent: number): void {
    const now = nowMs();
    this.latency.record(now - sent);
    if (!this.firstAt) this.firstAt = now;
    this.lastAt = now;
  }
}

export interface Subscriber {
  close(): void;
}

const BENCH_LINE = / PRIVMSG \S+ :bench (\d+(?:\.\d+)?)$/;

/**
 * An IRC client on a raw socket: sends `login` lines, answers PINGs, resolves once `ready` matches
 * a line, then records every `bench <sent>` PRIVMSG.
 */
export function ircSubscriber(port: number, login: string[], ready: RegExp, deliveries: Deliveries, timeoutMs = 60_000): Promise<Subscriber & { send(line: string): void }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(login.map((l) => `${l}\r\n`).join('')));
    let rest = '';
    let isReady = false;
    const timer = setTimeout(() => fail(new Error(`no ${ready} within ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const subscriber = { close: () => socket.destroy(), send: (line: string) => void socket.write(`${line}\r\n`) };
    socket.on('error', (err) => (isReady ? undefined : fail(err)));
    socket.on('close', () => (isReady ? undefined : fail(new Error('closed before ready'))));
    socket.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\r\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('PING ')) socket.write(`PONG ${line.slice(5)}\r\n`);
        const bench = BENCH_LINE.exec(line);
        if (bench) deliveries.record(Number(bench[1]));
        else if (!isReady && ready.test(line)) {
          isReady = true;
          clearTimeout(timer);
          resolve(subscriber);
        } else if (!isReady && /^\S+ 464 |^ERROR /.test(line)) fail(new Error(line));
      }
    });
  });
}

/** A Tributary WebSocket client (Bearer token, `subscribe` to one flow), as bench/client-worker.ts opens them. */
export function webSocketSubscriber(url: string, token: string, flow: string, deliveries: Deliveries, timeoutMs = 60_000): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
    const timer = setTimeout(() => fail(new Error('websocket: no subscribed within the timeout')), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    };
    ws.on('error', fail);
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { type?: string; sent?: unknown };
      if (frame.type === undefined && typeof frame.sent === 'number') deliveries.record(frame.sent);
      else if (frame.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', flows: [{ flow }] }));
      else if (frame.type === 'subscribed') {
        clearTimeout(timer);
        resolve({ close: () => ws.terminate() });
      }
    });
  });
}

/** Opens `count` subscribers, `lanes` at a time. */
export async function openMany<T>(count: number, lanes: number, open: (i: number) => Promise<T>): Promise<T[]> {
  const opened: T[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) opened.push(await open(next++));
  };
  await Promise.all(Array.from({ length: Math.min(lanes, count) }, lane));
  return opened;
}
