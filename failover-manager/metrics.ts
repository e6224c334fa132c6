/** The failover manager's Prometheus metrics, on a registry of its own. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const MS_BUCKETS = [10, 25, 50, 100, 250, 500, 1000, 2000, 3000, 5000, 10_000, 30_000];

/** Every kind of master change a manager makes (master-moves.ts): each series exists at 0 from the start. */
export const FAILOVER_KINDS = ['automatic', 'manual'] as const;

/**
 * Builds the registry and every metric the manager exports. Every series an alert reads exists
 * from the start (at 0), one per node where labelled by node: an alert on an increase or on a
 * value must not wait for the first event to have a series to compare with.
 */
export function createFailoverMetrics(nodes: readonly string[] = []) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics = {
    registry,
    failovers: new Counter({ name: 'tributary_failovers_total', help: 'Master changes made by this manager, by kind (automatic, manual)', labelNames: ['kind'], registers }),
    detectionMs: new Histogram({ name: 'tributary_failover_detection_ms', help: 'First failed check of the master until the decision to fail over (ms)', buckets: MS_BUCKETS, registers }),
    promotionMs: new Histogram({ name: 'tributary_failover_promotion_ms', help: 'Decision until the new master record is written (ms)', buckets: MS_BUCKETS, registers }),
    nodeUp: new Gauge({ name: 'tributary_redis_node_up', help: '1 when this manager sees the node up', labelNames: ['node'], registers }),
    master: new Gauge({ name: 'tributary_redis_master', help: '1 for the node the master record last read names, 0 for the others', labelNames: ['node'], registers }),
    isLeader: new Gauge({ name: 'tributary_failover_is_leader', help: '1 while this manager leads', registers }),
    epoch: new Gauge({ name: 'tributary_failover_epoch', help: 'Epoch of the master record last read', registers }),
    zookeeperConnected: new Gauge({ name: 'tributary_failover_zookeeper_connected', help: '1 while this manager has a connected ZooKeeper session', registers }),
  };
  for (const kind of FAILOVER_KINDS) metrics.failovers.inc({ kind }, 0);
  for (const node of nodes) {
    metrics.nodeUp.set({ node }, 0);
    metrics.master.set({ node }, 0);
  }
  metrics.isLeader.set(0);
  metrics.epoch.set(0);
  metrics.zookeeperConnected.set(0);
  return metrics;
}

export type FailoverMetrics = ReturnType<typeof createFailoverMetrics>;
