/**
 * A plain Socket.IO 4.8 node for comparison: rooms are flows, the Redis adapter carries broadcasts
 * between nodes, no authentication. Run as a forked process (`node socketio-peer.js <port> <redisUrl> <key>`);
 * {@link startSocketIoPeers} starts them.
 */
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { forkService, freePort, type ServiceProcess } from './processes';

/** Starts `count` Socket.IO nodes sharing the adapter key `key`. */
export async function startSocketIoPeers(count: number, redisUrl: string, key: string): Promise<ServiceProcess[]> {
  const peers: ServiceProcess[] = [];
  try {
    for (let i = 0; i < count; i++) peers.push(await forkService('socketio', 'socketio-peer.js', await freePort(), [redisUrl, key]));
  } catch (error) {
    await Promise.all(peers.map((p) => p.stop()));
    throw error;
  }
  return peers;
}

function main(): void {
  const [port, redisUrl, key] = process.argv.slice(2);
  if (!port || !redisUrl || !key) throw new Error('usage: socketio-peer <port> <redisUrl> <adapterKey>');
  const http = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (!req.url?.startsWith('/socket.io/')) {
      res.writeHead(404).end();
    }
  });
  const pub = new Redis(redisUrl);
  const sub = pub.duplicate();
  pub.on('error', () => {});
  sub.on('error', () => {});
  // Defaults otherwise: no per-message deflate, no HTTP long-polling use (the clients ask for websocket only).
  const io = new Server(http, { adapter: createAdapter(pub, sub, { key }), serveClient: false });
  io.on('connection', (socket) => {
    socket.on('subscribe', (flows: unknown, ack: unknown) => {
      if (Array.isArray(flows)) socket.join(flows.filter((f): f is string => typeof f === 'string'));
      if (typeof ack === 'function') ack(null);
    });
  });
  http.listen(Number(port), '127.0.0.1');
  const stop = () => {
    io.close();
    void Promise.allSettled([pub.quit(), sub.quit()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
}

if (require.main === module) main();
