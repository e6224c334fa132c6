/**
 * Runs a selection of services in one process: builds the infrastructure they need once, starts
 * each in registry order, serves the shared ones on one HTTP server, and drains them in reverse.
 * docs/adr/009-service-registry.md.
 */
import { createServer, type Server } from 'node:http';
import type { Config } from '../core/config';
import type { Log } from '../core/log';
import { MessageIngress } from '../core/messaging/message-ingress';
import { createMetrics, type Metrics } from '../core/metrics';
import type { DependencyCheck, Need, RunningService, ServiceDescriptor, ServiceParts } from '../core/service-descriptor';
import { CliFailure } from './cli-failure';
import { createHttpHost, upgradeDispatcher } from './http-host';
import { ListenFailure, listen } from '../infra/http/listen';
import type { Infrastructure } from './infrastructure';
import { type InfrastructurePlan, planInfrastructure } from './infrastructure-plan';

export interface ComposeOptions {
  config: Config;
  log: Log;
  env?: NodeJS.ProcessEnv;
  /** Builds the planned infrastructure (cli/infrastructure.ts; a test passes in-process parts). */
  build(plan: InfrastructurePlan): Promise<Infrastructure>;
  /** Parts the process wants besides the services' own (the demo seed writes through the directory). */
  alsoNeeds?: readonly Need[];
}

export interface Composition {
  /** The shared server, or null when every selected service serves itself. */
  server: Server | null;
  port: number | null;
  infra: Infrastructure;
  metrics: Metrics;
  /** Turns /ready 503, stops accepting, drains each service in reverse start order, then closes the infrastructure. */
  stop(): Promise<void>;
}

/** Builds the ingress over the queue and bus when a service posts, and starts it. */
export async function openIngress(plan: InfrastructurePlan, infra: Infrastructure, config: Config, metrics: Metrics): Promise<MessageIngress | null> {
  if (!plan.parts.has('ingress')) return null;
  const { queue, bus } = infra.parts;
  if (!queue || !bus) throw new Error('the ingress needs the queue and the bus');
  const ingress = new MessageIngress({
    queue, bus, shardCount: config.SHARDS, persistTimeoutMs: config.PERSIST_TIMEOUT_MS,
    observeAckLatency: (ms) => metrics.ackLatency.observe(ms),
  });
  await ingress.start();
  return ingress;
}

/** Exactly the parts a descriptor listed; a part the infrastructure failed to build is a bug, named here. */
function partsFor(descriptor: ServiceDescriptor, all: Partial<ServiceParts>): ServiceParts {
  const parts: Partial<ServiceParts> = {};
  for (const need of descriptor.needs) {
    if (all[need] === undefined) throw new Error(`${descriptor.name} needs ${need}, which was not built`);
    Object.assign(parts, { [need]: all[need] });
  }
  return parts as ServiceParts;
}

/** Runs every step even when one fails; rethrows the first failure at the end. */
async function drain(steps: readonly (() => Promise<void>)[], log: Log): Promise<void> {
  let failure: unknown = null;
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      log.error({ err }, 'error while stopping');
      failure ??= err;
    }
  }
  if (failure) throw failure;
}

/** Starts `descriptors` in order; resolves once the shared server (if any) listens. A failure part-way stops what started. */
export async function composeServices(descriptors: readonly ServiceDescriptor[], options: ComposeOptions): Promise<Composition> {
  const { config, log, env = process.env } = options;
  const plan = planInfrastructure([...descriptors.flatMap((d) => d.needs), ...(options.alsoNeeds ?? [])]);
  const infra = await options.build(plan);
  const metrics = createMetrics();
  const started: RunningService[] = [];
  let ingress: MessageIngress | null = null;
  let draining = false;
  let server: Server | null = null;
  const stopAll = () =>
    drain(
      [
        ...[...started].reverse().map((s) => async () => {
          await s.stop();
          // Keep-alive connections that just went idle would otherwise hold the close open.
          server?.closeIdleConnections();
        }),
        async () => void (await ingress?.stop()),
      ],
      log,
    );

  try {
    ingress = await openIngress(plan, infra, config, metrics);
    const all: Partial<ServiceParts> = { ...infra.parts, ...(ingress ? { ingress } : {}) };
    const alone = descriptors.length === 1;
    for (const descriptor of descriptors) {
      const ctx = { parts: partsFor(descriptor, all), config, metrics, log: log.child({ component: descriptor.name }), alone, env };
      started.push(await descriptor.start(ctx));
    }
    if (descriptors.some((d) => d.http === 'shared')) {
      const readiness: Record<string, DependencyCheck> = { ...infra.readiness };
      for (const s of started) for (const [name, check] of Object.entries(s.readiness ?? {})) readiness[name] = { check, required: true };
      const app = createHttpHost({ metrics, readiness, isDraining: () => draining, log, mounts: started.flatMap((s) => s.routes ?? []) });
      server = createServer(app);
      server.on('upgrade', upgradeDispatcher(started.flatMap((s) => s.upgrades ?? [])));
      await listen(server, config.PORT, config.HOST);
    }
  } catch (err) {
    await stopAll().catch(() => {});
    await infra.close();
    // A busy port, the shared server's or a service's own (the failover manager's), is one line for the user.
    throw err instanceof ListenFailure ? new CliFailure(err.message) : err;
  }

  const address = server?.address();
  const port = typeof address === 'object' && address ? address.port : null;
  let stopping: Promise<void> | null = null;
  return {
    server, port, infra, metrics,
    stop: () =>
      (stopping ??= (async () => {
        draining = true;
        log.info('draining');
        const shared = server;
        const closed = shared ? new Promise<void>((resolve) => shared.close(() => resolve())) : Promise.resolve();
        try {
          await stopAll();
          await closed;
        } finally {
          await infra.close();
        }
        log.info('stopped');
      })()),
  };
}
