/** Builds one failover manager (checker, ZooKeeper coordinator, loop, API) from its configuration. */
import type { Express } from 'express';
import type { Log } from '../core/log';
import { createFailoverApi } from './api';
import type { FailoverConfig } from './config';
import { Coordinator } from './coordinator';
import { FailoverLoop } from './loop';
import { createFailoverMetrics, type FailoverMetrics } from './metrics';
import { NodeChecker } from './node-checker';

/** A running-or-not manager and its parts (tests reach into them). */
export interface FailoverManager {
  readonly managerId: string;
  readonly loop: FailoverLoop;
  readonly coordinator: Coordinator;
  readonly checker: NodeChecker;
  readonly metrics: FailoverMetrics;
  readonly app: Express;
  start(): void;
  /** Steps down: stops acting, closes the ZooKeeper session (our znodes go at once) and the node connections. */
  stop(): Promise<void>;
}

/** The settings a manager needs (a subset of {@link FailoverConfig}, so tests can pass just these). */
export type ManagerSettings = Pick<
  FailoverConfig,
  'ZOOKEEPER_CONNECT' | 'REDIS_NODES' | 'CHECK_INTERVAL_MS' | 'DOWN_AFTER_CHECKS' | 'CHECK_TIMEOUT_MS' | 'ZK_SESSION_TIMEOUT_MS' | 'MANAGER_ID' | 'SWITCHOVER_TIMEOUT_MS'
>;

export function createFailoverManager(settings: ManagerSettings, log: Log): FailoverManager {
  const managerId = settings.MANAGER_ID;
  const metrics = createFailoverMetrics(settings.REDIS_NODES);
  const checker = new NodeChecker(settings.REDIS_NODES, { timeoutMs: settings.CHECK_TIMEOUT_MS, downAfterChecks: settings.DOWN_AFTER_CHECKS });
  let loop: FailoverLoop | null = null;
  const coordinator = new Coordinator({
    connectString: settings.ZOOKEEPER_CONNECT, managerId, sessionTimeoutMs: settings.ZK_SESSION_TIMEOUT_MS, log, wake: () => loop?.wake(),
  });
  loop = new FailoverLoop(
    { managerId, intervalMs: settings.CHECK_INTERVAL_MS, downAfterChecks: settings.DOWN_AFTER_CHECKS },
    { managerId, nodes: settings.REDIS_NODES, checker, coordinator, metrics, log, switchoverTimeoutMs: settings.SWITCHOVER_TIMEOUT_MS },
  );
  metrics.attach({
    observations: () => checker.observations(),
    master: () => coordinator.lastRead?.snapshot.record?.value.master ?? null,
    views: () => coordinator.lastRead?.snapshot.views ?? [],
    sessionState: () => coordinator.sessionTracker.state,
  });
  const app = createFailoverApi({ nodes: settings.REDIS_NODES, loop, coordinator, metrics });
  const running = loop;
  return {
    managerId, loop: running, coordinator, checker, metrics, app,
    start() {
      coordinator.start();
      running.start();
    },
    async stop() {
      await running.stop();
      await coordinator.stop();
      checker.close();
    },
  };
}
