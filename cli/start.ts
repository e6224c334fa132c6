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
import { CliFailure } from './cli-failure';
import { demoBanner, demoLogin, ensureDemo, onlyDemoData } from './demo';
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
      authenticator: new Authenticator(directory, { loginGuard: infra.loginGuard }),
      postDeps: { directory, store, ingress: parts.ingress! },
      options: {
        keepAliveMs: config.STREAM_KEEPALIVE_MS, sendBufferLimitBytes: config.STREAM_SEND_BUFFER,
        maxConnectionsPerUser: config.STREAM_MAX_CONNECTIONS_PER_USER, maxJsonDepth: config.BODY_MAX_DEPTH,
      },
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
        directory: infra.directory, store: infra.store, ingress: parts.ingress!, bus: infra.bus, authenticator: new Authenticator(infra.directory, { loginGuard: infra.loginGuard }),
        rateLimiter: infra.rateLimiter, presence: infra.presence, metrics, log: log.child({ component: 'web-api' }),
        options: { bodyLimit: config.BODY_LIMIT, maxDepth: config.BODY_MAX_DEPTH, maxParams: config.BODY_MAX_PARAMS, ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}) },
      },
      { ops, ...(parts.streaming ? { mountBeforeAuth: [['/stream', parts.streaming.router]] as [string, express.Router][] } : {}) },
    );
  }
  const app = express();
  app.use(ops);
  if (parts.streaming) app.use(parts.streaming.router);
  return app;
}

/** One sentence for a port we cannot listen on. */
function listenFailure(err: unknown, config: Config): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new CliFailure(`port ${config.PORT} is already in use; set PORT to a free port`);
  if (code === 'EACCES') return new CliFailure(`port ${config.PORT} needs privileges this user lacks; set PORT to a port above 1023`);
  if (code === 'EADDRNOTAVAIL') return new CliFailure(`HOST ${config.HOST} is not an address of this machine; set HOST to one (0.0.0.0 for all)`);
  return err;
}

async function closeParts(parts: Parts): Promise<void> {
  await parts.streaming?.close();
  await parts.backend?.stop();
  await parts.ingress?.stop();
  await parts.infra.close();
}

/**
 * Seeds the demo once the server listens (so that a start that fails seeds nothing), idempotently,
 * and prints its login on every start while the demo user keeps its initial password.
 */
async function showDemo(which: ServiceName, parts: Parts, port: number): Promise<void> {
  const { config, infra } = parts;
  const embeddedDefault = infra.mode === 'embedded' && which === 'all';
  if (config.DEMO === 'off' || (config.DEMO === 'auto' && !embeddedDefault)) return;
  if (config.DEMO === 'on' || (await onlyDemoData(infra.pool))) await ensureDemo(infra.directory);
  const login = await demoLogin(infra.directory);
  if (login) process.stdout.write(`${demoBanner(login, `http://localhost:${port}`)}\n`);
}

/** Starts the named service(s); resolves once listening. */
export async function startServices(which: ServiceName, config: Config = loadConfig(), log: Log = createLog(`tributary-${which}`)): Promise<RunningServices> {
  let draining = false;
  const parts = await buildParts(which, config, log);
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
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, resolve);
    });
  } catch (err) {
    await closeParts(parts);
    throw listenFailure(err, config);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info({ service: which, port, mode: parts.infra.mode }, 'listening');

  await showDemo(which, parts, port);

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
