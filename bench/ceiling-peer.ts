/**
 * The ceiling peer: the least a Node process can do to fan Redis messages out over WebSockets, as
 * the yardstick for Tributary's streaming node. `ws` without deflate, one Redis subscription per
 * flow, each payload forwarded as it came, every socket's frames of one turn written corked (one
 * writev). No authentication, cursors, bounds or metrics. Run as a forked process
 * (`node ceiling-peer.js <port> <redisUrl> <channelPrefix>`); {@link startCeilingPeers} starts them.
 * Clients connect to `/?flows=<id>,<id>` and are subscribed when the `{"type":"subscribed"}` frame comes.
 */
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import { type WebSocket, WebSocketServer } from 'ws';
import { forkService, freePort, type ServiceProcess } from './processes';

/** Starts `count` ceiling nodes listening on `${channelPrefix}<flowId>` (Tributary's own flow channels, so one publisher serves both). */
export async function startCeilingPeers(count: number, redisUrl: string, channelPrefix: string): Promise<ServiceProcess[]> {
  const peers: ServiceProcess[] = [];
  try {
    for (let i = 0; i < count; i++) peers.push(await forkService('ceiling', 'ceiling-peer.js', await freePort(), [redisUrl, channelPrefix]));
  } catch (error) {
    await Promise.all(peers.map((p) => p.stop()));
    throw error;
  }
  return peers;
}

const SUBSCRIBED = JSON.stringify({ type: 'subscribed' });

function main(): void {
  const [port, redisUrl, prefix] = process.argv.slice(2);
  if (!port || !redisUrl || !prefix) throw new Error('usage: ceiling-peer <port> <redisUrl> <channelPrefix>');
  const http = createServer((req, res) => {
    if (req.url === '/health') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    else res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: false });
  const sub = new Redis(redisUrl);
  sub.on('error', () => {});
  const members = new Map<string, Set<WebSocket>>();
  const pending = new Map<WebSocket, Buffer[]>();
  /** Per channel: resolves once Redis confirmed the subscription (a socket is told `subscribed` only then). */
  const ready = new Map<string, Promise<unknown>>();
  let flushing = false;

  const flush = () => {
    flushing = false;
    for (const [ws, frames] of pending) {
      const socket = (ws as unknown as { _socket: Socket })._socket;
      socket.cork();
      for (const frame of frames) ws.send(frame, { binary: false });
      socket.uncork();
    }
    pending.clear();
  };
  sub.on('messageBuffer', (channel: Buffer, payload: Buffer) => {
    const sockets = members.get(channel.toString());
    if (!sockets) return;
    for (const ws of sockets) {
      const frames = pending.get(ws);
      if (frames) frames.push(payload);
      else pending.set(ws, [payload]);
    }
    if (!flushing && pending.size) {
      flushing = true;
      setImmediate(flush);
    }
  });

  wss.on('connection', (ws, req) => {
    const flows = new URL(req.url ?? '/', 'http://localhost').searchParams.get('flows')?.split(',').filter(Boolean) ?? [];
    const channels = flows.map((f) => prefix + f);
    ws.on('error', () => {});
    ws.on('close', () => {
      pending.delete(ws);
      for (const channel of channels) members.get(channel)?.delete(ws);
    });
    const joins = channels.map((channel) => {
      let sockets = members.get(channel);
      if (!sockets) {
        sockets = new Set();
        members.set(channel, sockets);
        ready.set(channel, sub.subscribe(channel));
      }
      sockets.add(ws);
      return ready.get(channel);
    });
    void Promise.all(joins).then(() => ws.send(SUBSCRIBED));
  });
  http.listen(Number(port), '127.0.0.1');
  const stop = () => {
    wss.close();
    http.close();
    void sub.quit().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}

if (require.main === module) main();
