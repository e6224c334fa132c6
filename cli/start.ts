/**
 * `tributary start all|web-api|streaming-api|message-backend`: builds the implementations, hands
 * them to the services, listens on PORT, and drains on SIGTERM.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type Express } from 'express';
import { Authenticator } from '../core/auth/authenticator';
import { type Config, loadConfig } from '../core/config';
import { createLog, type Log } from '../core/log';
import { MessageIngress } from '../core/messaging/message-ingress';
import { createMetrics, type Metrics } from '../core/metrics';
import { opsRoutes, type ReadinessCheck } from '../infra/http/ops-routes';
import { createMessageBackend, type MessageBackend } from '../message-backend/create-message-backend';
import { createStreamingService, type StreamingService } from '../streaming-api/create-streaming-service';
import { createWebApi } from '../web-api/create-web-api';
import { demoBanner, seedDemo } from './demo';
import { buildInfrastructure, type Infrastructure } from './infrastructure';

export const SERVICES = ['all', 'web-api', 'streaming-api', 'message-backend'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface RunningServices {
  server: Server;
  port: number;
  stop(): Promise<void>;
}

interface Parts {
  infra: Infrastructure;
  metrics: Metrics;
  log: Log;
  config: Config;
  ingress?: MessageIngress;
  backend?: MessageBackend;
  streaming?: StreamingService;
}

async function buildParts(which: ServiceName, config: Config, log: Log): Promise<Parts> {
  const infra = await buildInfrastructure(config, log, { allowEmbedded: which === 'all' });
  const metrics = createMetrics();
  const parts: Parts = { infra, metrics, log, config };
  const { directory, store, bus, queue } = infra;
  if (which !== 'message-backend') {
    parts.ingress = new MessageIngress({
      queue, bus, store, shardCount: config.SHARDS, persistTimeoutMs: config.PERSIST_TIMEOUT_MS,
      observeAckLatency: (ms) => metrics.ackLatency.observe(ms),
    });
    await parts.ingress.start();
  }
  if (which === 'all' || which === 'message-backend') {
    parts.backend = createMessageBackend({ queue, store, bus, leases: infra.leases(), metrics, log: log.child({ component: 'message-backend' }) }, { shardCount: config.SHARDS, maxBatch: config.BATCH_MAX });
    parts.backend.start();
  }
  if (which === 'all' || which === 'streaming-api') {
    parts.streaming = createStreamingService({
      directory, store, bus, presence: infra.presence, rateLimiter: infra.rateLimiter, metrics, log: log.child({ component: 'streaming-api' }),
      authenticator: new Authenticator(directory),
      postDeps: { directory, store, ingress: parts.ingress! },
      options: { keepAliveMs: config.STREAM_KEEPALIVE_MS, sendBufferLimitBytes: config.STREAM_SEND_BUFFER },
    });
    await parts.streaming.ready;
  }
  return parts;
}

function buildApp(which: ServiceName, parts: Parts, isDraining: () => boolean): Express {
  const { infra, metrics, log, config } = parts;
  const checks: Record<string, ReadinessCheck> = { postgres: async () => void (await infra.pool.query('SELECT 1')) };
  if (parts.backend) checks.queue = async () => void (await infra.queue.depth(0));
  const ops = opsRoutes(metrics, checks, isDraining);
  if (which === 'all' || which === 'web-api') {
    return createWebApi(
      {
        directory: infra.directory, store: infra.store, ingress: parts.ingress!, bus: infra.bus, authenticator: new Authenticator(infra.directory),
        rateLimiter: infra.rateLimiter, presence: infra.presence, metrics, log: log.child({ component: 'web-api' }),
        options: { bodyLimit: config.BODY_LIMIT, ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}) },
      },
      { ops, ...(parts.streaming ? { mountBeforeAuth: [['/stream', parts.streaming.router]] as [string, express.Router][] } : {}) },
    );
  }
  const app = express();
  app.use(ops);
  if (parts.streaming) app.use(parts.streaming.router);
  return app;
}

/** Starts the named service(s); resolves once listening. */
export async function startServices(which: ServiceName, config: Config = loadConfig(), log: Log = createLog(`tributary-${which}`)): Promise<RunningServices> {
  let draining = false;
  const parts = await buildParts(which, config, log);
  // Seeded before listening, so that a client that finds the server ready finds the demo login too.
  const demoWanted = config.DEMO === 'on' || (config.DEMO === 'auto' && parts.infra.mode === 'embedded' && which === 'all');
  const demo = demoWanted ? await seedDemo(parts.infra.directory, parts.infra.pool) : null;
  const app = buildApp(which, parts, () => draining);
  const server = createServer(app);
  const streaming = parts.streaming;
  if (streaming) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/ws' || path === '/stream/ws') streaming.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info({ service: which, port, mode: parts.infra.mode }, 'listening');

  if (demo) process.stdout.write(`${demoBanner(demo, `http://localhost:${port}`)}\n`);

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      draining = true;
      log.info('draining');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await streaming?.close();
      server.closeIdleConnections();
      await parts.backend?.stop();
      await parts.ingress?.stop();
      await closed;
      await parts.infra.close();
      log.info('stopped');
    })());
  return { server, port, stop };
}
