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
import type { ServiceDescriptor } from '../core/service-descriptor';
import { failoverManagerService } from '../failover-manager/service';
import { messageBackendService } from '../message-backend/service';
import { streamingApiService } from '../streaming-api/service';
import { webApiService } from '../web-api/service';

export const SERVICE_REGISTRY = [messageBackendService, streamingApiService, webApiService, failoverManagerService] as const;

/** What `tributary start` takes: `all` (every service with `inAll`, in one process) or one service by name. */
export type ServiceName = 'all' | (typeof SERVICE_REGISTRY)[number]['name'];

export const SERVICE_NAMES: readonly ServiceName[] = ['all', ...SERVICE_REGISTRY.map((d) => d.name)];

/** The descriptors `which` runs, in start order. */
export function selectServices(which: string, registry: readonly ServiceDescriptor[] = SERVICE_REGISTRY): ServiceDescriptor[] {
  if (which === 'all') return registry.filter((d) => d.inAll);
  const one = registry.find((d) => d.name === which);
  if (!one) throw new Error(`unknown service ${which}; known: ${registry.map((d) => d.name).join(', ')}`);
  return [one];
}
