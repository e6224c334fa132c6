/**
 * Every service `tributary start` knows, in start order: the queue's consumer before the edges
 * that feed it, so nothing accepts a request before what serves it runs; a stop drains the edges
 * first. A new service is one descriptor (core/service-descriptor.ts) added here:
 * - a worker (an integration, a source under a lease): `needs` what it reads and writes, starts its
 *   loop in `start`, returns `stop`; like message-backend, it gets /health, /ready and /metrics on PORT.
 * - a gateway (IRC): also opens its own listener in `start` and closes it in `stop`.
 * - static assets (the single-page app): `staticAssetsService({ name, path, folder })`
 *   (infra/http/static-assets-service.ts), served under its path beside the REST API.
 */
import { join } from 'node:path';
import { projectRoot } from '../core/project-root';
import type { ServiceDescriptor } from '../core/service-descriptor';
import { failoverManagerService } from '../failover-manager/service';
import { integrationsService } from '../integrations/service';
import { messageBackendService } from '../message-backend/service';
import { streamingApiService } from '../streaming-api/service';
import { staticAssetsService } from '../infra/http/static-assets-service';
import { webApiService } from '../web-api/service';

/** The single-page app (client-spa/, built by `npm install` into client-spa/dist), in every process that serves the REST API. */
const appService = staticAssetsService({
  name: 'app', summary: 'the single-page app at /app/', path: '/app', folder: join(projectRoot(), 'client-spa', 'dist'),
  redirectRoot: true, runsWith: 'web-api',
});

// The app before the web-api: its redirect of `/` is mounted before the REST API, which would answer 401.
export const SERVICE_REGISTRY = [messageBackendService, streamingApiService, appService, webApiService, integrationsService, failoverManagerService] as const;

/** The services a process can be started as: companions (the app) come along with theirs. */
const SELECTABLE = SERVICE_REGISTRY.filter((d) => !d.runsWith);

/** What `tributary start` takes: `all` (every service with `inAll`, in one process) or one service by name. */
export type ServiceName = 'all' | Exclude<(typeof SERVICE_REGISTRY)[number]['name'], 'app'>;

export const SERVICE_NAMES: readonly ServiceName[] = ['all', ...(SELECTABLE.map((d) => d.name) as ServiceName[])];

/** The descriptors `which` runs, in start order: `all`, or one service by name with its companions. */
export function selectServices(which: string, registry: readonly ServiceDescriptor[] = SERVICE_REGISTRY): ServiceDescriptor[] {
  if (which === 'all') return registry.filter((d) => d.inAll);
  const one = registry.find((d) => d.name === which && !d.runsWith);
  if (!one) throw new Error(`unknown service ${which}; known: ${registry.filter((d) => !d.runsWith).map((d) => d.name).join(', ')}`);
  return registry.filter((d) => d === one || d.runsWith === which);
}
