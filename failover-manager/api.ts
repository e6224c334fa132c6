/** The manager's HTTP face: status, history, health, metrics, and POST /promote, which only records intent. */
import express, { type Express } from 'express';
import { validationError } from '../core/errors';
import type { Coordinator } from './coordinator';
import { readHistory, writePromoteRequest } from './failover-znodes';
import type { FailoverLoop } from './loop';
import type { FailoverMetrics } from './metrics';

/** What the API reads from and writes to. */
export interface FailoverApiDeps {
  nodes: readonly string[];
  loop: FailoverLoop;
  coordinator: Coordinator;
  metrics: FailoverMetrics;
}

const unavailable = { message: 'not connected to ZooKeeper', code: 'UNAVAILABLE' };

/** Builds the express app; the loop alone acts, so POST /promote writes the request and wakes it. */
export function createFailoverApi({ nodes, loop, coordinator, metrics }: FailoverApiDeps): Express {
  const app = express();
  app.use(express.json({ limit: '4kb' }));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', zookeeper: coordinator.isConnected ? 'connected' : 'disconnected' });
  });
  app.get('/status', (_req, res) => {
    res.json(loop.status());
  });
  app.get('/history', async (_req, res) => {
    const session = coordinator.liveSession;
    if (!session) return void res.status(503).json(unavailable);
    res.json(await readHistory(session));
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.post('/promote', async (req, res) => {
    const target: unknown = req.body?.target;
    if (typeof target !== 'string' || !nodes.includes(target)) {
      const why = typeof target === 'string' ? `unknown node ${target}; known: ${nodes.join(', ')}` : 'required: the host:port of a replica';
      return void res.status(400).json(validationError({ target: [why] }).toJSON());
    }
    const session = coordinator.liveSession;
    if (!session) return void res.status(503).json(unavailable);
    await writePromoteRequest(session, target);
    loop.wake();
    res.status(202).json({ accepted: true, target });
  });
  return app;
}
