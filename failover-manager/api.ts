/** The manager's HTTP face: status, history, health, metrics, and POST /promote, which only records intent. */
import express, { type Express } from 'express';
import { validationError } from '../core/errors';
import type { Coordinator } from './coordinator';
import { readTimeline, writePromoteRequest } from './failover-znodes';
import type { FailoverLoop } from './loop';
import { managerStatus } from './manager-status';
import type { FailoverMetrics } from './metrics';
import { withTimeout } from './node-checker';

/** What the API reads from and writes to. */
export interface FailoverApiDeps {
  nodes: readonly string[];
  loop: FailoverLoop;
  coordinator: Coordinator;
  metrics: FailoverMetrics;
}

const unavailable = { message: 'not connected to ZooKeeper', code: 'UNAVAILABLE' };

/** Bound on the one ZooKeeper read a request makes (GET /history): a stuck ensemble must not hang the caller. */
export const REQUEST_ZK_TIMEOUT_MS = 800;

/** Builds the express app; the loop alone acts, so POST /promote writes the request and wakes it. */
export function createFailoverApi({ nodes, loop, coordinator, metrics }: FailoverApiDeps): Express {
  const app = express();
  app.use(express.json({ limit: '4kb' }));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', zookeeper: coordinator.isConnected ? 'connected' : 'disconnected' });
  });
  app.get('/status', (_req, res) => {
    res.json(managerStatus(loop, coordinator));
  });
  app.get('/history', async (_req, res) => {
    const session = coordinator.liveSession;
    if (!session) return void res.status(503).json(unavailable);
    try {
      res.json(await withTimeout(readTimeline(session), REQUEST_ZK_TIMEOUT_MS, `reading the history from ZooKeeper at ${coordinator.connectString}`));
    } catch (err) {
      res.status(503).json({ message: (err as Error).message, code: 'UNAVAILABLE' });
    }
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
