/**
 * One origin in front of split services, as production puts a proxy before them (docs/app.md,
 * "Served"): `/stream/…` and the WebSocket upgrade go to the streaming service, the rest to the
 * web-api. The Host header passes unchanged, so the session cookie's origin rule sees the app's own
 * origin. Either target may be stopped and started again on its port: each request connects anew.
 */
import { createServer, request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface OneOriginProxy {
  url: string;
  close(): Promise<void>;
}

export async function startOneOriginProxy(webApiPort: number, streamingPort: number): Promise<OneOriginProxy> {
  const sockets = new Set<Socket>();
  const portFor = (url: string | undefined) => (url?.startsWith('/stream/') ? streamingPort : webApiPort);
  const server: Server = createServer((req, res) => {
    const upstream = request({ host: '127.0.0.1', port: portFor(req.url), method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, client: Socket, head: Buffer) => {
    const upstream = connect(portFor(req.url), '127.0.0.1');
    const headers = Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one) => `${k}: ${one}`));
    upstream.on('connect', () => {
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    // The streaming service went away: the browser's socket drops with it, as behind a real proxy.
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
