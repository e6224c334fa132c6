/** `tributary start failover-manager`: one manager with its HTTP endpoint; SIGTERM steps down and exits 0. */
import type { Server } from 'node:http';
import { createLog } from '../core/log';
import { loadFailoverConfig } from './config';
import { createFailoverManager } from './manager';

/** Starts a manager from the environment; resolves once its endpoint listens. */
export async function runFailoverManager(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadFailoverConfig(env);
  const log = createLog('tributary-failover-manager', config.LOG_LEVEL).child({ managerId: config.MANAGER_ID });
  const manager = createFailoverManager(config, log);
  manager.start();
  const server: Server = await new Promise((resolve) => {
    const s = manager.app.listen(config.PORT, config.HOST, () => resolve(s));
  });
  log.info({ port: config.PORT, nodes: config.REDIS_NODES }, 'failover manager listening');
  const shutdown = (signal: string) => {
    log.info({ signal }, 'stepping down and exiting');
    server.close();
    manager.stop().then(() => process.exit(0), (err: unknown) => { log.error({ err }, 'unclean stop'); process.exit(1); });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
