/**
 * `tributary start all|<service>`: composes the registry's services in one process (cli/compose.ts)
 * on PORT, then seeds the demo; the caller drains on SIGTERM with `stop`.
 */
import type { Server } from 'node:http';
import { type Config, loadConfig } from '../core/config';
import { createLog, type Log } from '../core/log';
import { composeServices } from './compose';
import { demoBanner, demoLogin, ensureDemo, onlyDemoData } from './demo';
import { buildInfrastructure, type Infrastructure } from './infrastructure';
import { planInfrastructure } from './infrastructure-plan';
import { type ServiceName, selectServices } from './service-registry';

export { SERVICE_NAMES, type ServiceName } from './service-registry';

export interface RunningServices {
  /** The shared HTTP server; null for a service that serves itself (the failover manager). */
  server: Server | null;
  port: number | null;
  stop(): Promise<void>;
}

/** DEMO=on seeds wherever there is a database; `auto` only in the embedded default. */
const demoWanted = (config: Config, all: boolean): boolean => config.DEMO === 'on' || (config.DEMO === 'auto' && all);

/**
 * Seeds the demo once the server listens (so that a start that fails seeds nothing), idempotently,
 * and prints its login on every start while the demo user keeps its initial password.
 */
async function showDemo(all: boolean, config: Config, infra: Infrastructure, port: number | null): Promise<void> {
  const { pool, parts: { directory } } = infra;
  if (!demoWanted(config, all) || !pool || !directory || port === null) return;
  if (config.DEMO === 'auto' && infra.mode !== 'embedded') return;
  if (config.DEMO === 'on' || (await onlyDemoData(pool))) await ensureDemo(directory);
  const login = await demoLogin(directory);
  if (login) process.stdout.write(`${demoBanner(login, `http://localhost:${port}`)}\n`);
}

/** Starts the named service(s); resolves once listening and the demo is seeded. */
export async function startServices(which: ServiceName, config: Config = loadConfig(), log: Log = createLog(`tributary-${which}`)): Promise<RunningServices> {
  const all = which === 'all';
  const descriptors = selectServices(which);
  const usesDatabase = planInfrastructure(descriptors.flatMap((d) => d.needs)).postgres;
  const composition = await composeServices(descriptors, {
    config, log,
    build: (plan) => buildInfrastructure(config, log, { allowEmbedded: all, plan }),
    alsoNeeds: demoWanted(config, all) && usesDatabase ? ['directory'] : [],
  });
  const { server, port, infra } = composition;
  if (server) log.info({ services: which, port, mode: infra.mode }, 'listening');
  try {
    await showDemo(all, config, infra, port);
  } catch (err) {
    await composition.stop().catch(() => {});
    throw err;
  }
  return { server, port, stop: composition.stop };
}
