/**
 * The failover-manager service: one manager (checks, election, the loop) with its own HTTP endpoint.
 * It runs beside the Redis nodes, never in `start all`, and needs none of the shared parts: it
 * reads its own settings (PORT defaults to 3300) and serves its own /health and /metrics.
 */
import { createServer } from 'node:http';
import { defineService } from '../core/service-descriptor';
import { listen } from '../infra/http/listen';
import { loadFailoverConfig } from './config';
import { createFailoverManager } from './manager';

export const failoverManagerService = defineService({
  name: 'failover-manager',
  summary: 'one Redis failover manager (needs ZOOKEEPER_CONNECT and REDIS_NODES)',
  inAll: false,
  needs: [],
  http: 'own',
  async start({ env, log: parent }) {
    const config = loadFailoverConfig(env);
    const log = parent.child({ managerId: config.MANAGER_ID });
    const manager = createFailoverManager(config, log);
    const server = createServer(manager.app);
    // Listen first: a manager must never join the election (and possibly lead) without its
    // /status, /metrics and /promote. A busy port ends the start before ZooKeeper is touched.
    await listen(server, config.PORT, config.HOST);
    manager.start();
    log.info({ port: config.PORT, nodes: config.REDIS_NODES }, 'failover manager listening');
    return {
      async stop() {
        log.info('stepping down');
        server.close();
        await manager.stop();
      },
    };
  },
});
