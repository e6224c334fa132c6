/**
 * The write path's ceiling peer: an express 5 server whose POST parses a JSON body the way the
 * web-api does (express.json, same types) and answers 201, with nothing behind it. Run as a forked
 * process (`node express-hello-peer.js <port>`); {@link startExpressHello} starts it.
 */
import express from 'express';
import { forkService, freePort, type ServiceProcess } from './processes';

export async function startExpressHello(): Promise<ServiceProcess> {
  return forkService('express-hello', 'express-hello-peer.js', await freePort(), []);
}

function main(): void {
  const port = Number(process.argv[2]);
  if (!Number.isInteger(port) || port <= 0) throw new Error('usage: express-hello-peer <port>');
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(express.json({ limit: '1mb', strict: false, type: ['application/json', 'application/*+json'] }));
  let next = 1;
  app.post('/flows/:org/:flow/messages', (req, res) => {
    const body = req.body as { content?: unknown; uuid?: unknown };
    res.status(201).json({ id: next++, event: 'message', content: body.content, uuid: body.uuid, flow: req.params.flow });
  });
  app.listen(port, '127.0.0.1');
}

if (require.main === module) main();
