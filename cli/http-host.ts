/**
 * The one HTTP server of a process, as an express app: the edge every service shares (request
 * metrics, /health /ready /metrics, CORS, the request-line guard), each service's routers, and
 * one JSON 404 and error handler. Upgrades go to the service that claims their path.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type Express } from 'express';
import type { Log } from '../core/log';
import type { Metrics } from '../core/metrics';
import type { DependencyCheck, HttpMount, UpgradeRoute } from '../core/service-descriptor';
import { opsRoutes } from '../infra/http/ops-routes';
import { requestGuard } from '../infra/http/request-guard';
import { requestMetrics } from '../infra/http/request-metrics';
import { cors } from '../web-api/http/cors';
import { errorHandler, notFoundHandler } from '../web-api/http/error-handler';

export interface HttpHostOptions {
  metrics: Metrics;
  readiness: Record<string, DependencyCheck>;
  isDraining: () => boolean;
  log: Log;
  mounts: readonly HttpMount[];
}

/** Longer paths first, so that a service at the root (the REST API) never shadows one under a path (the stream, the app). */
export function mountOrder(mounts: readonly HttpMount[]): HttpMount[] {
  const depth = (path: string) => path.split('/').filter(Boolean).length;
  return [...mounts].sort((a, b) => depth(b.path) - depth(a.path));
}

export function createHttpHost(options: HttpHostOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a proxy on this machine (HAProxy), the client's address is the one it forwards.
  app.set('trust proxy', 'loopback');
  app.use(requestMetrics(options.metrics));
  app.use(opsRoutes(options.metrics, options.readiness, options.isDraining));
  app.use(cors);
  app.use(requestGuard);
  for (const { path, router } of mountOrder(options.mounts)) app.use(path, router);
  app.use(notFoundHandler);
  app.use(errorHandler(options.log));
  return app;
}

/** The server's `upgrade` listener: the route that claims the path (query aside) takes it; any other is refused. */
export function upgradeDispatcher(routes: readonly UpgradeRoute[]) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const route = routes.find((r) => r.paths.includes(path));
    if (route) route.handle(req, socket, head);
    else socket.destroy();
  };
}
