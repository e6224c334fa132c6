/** The failover manager's Prometheus metrics, on a registry of its own. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const MS_BUCKETS = [10, 25, 50, 100, 250, 500, 1000, 2000, 3000, 5000, 10_000, 30_000];

/** Builds the registry and every metric the manager exports. */
export function createFailoverMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    failovers: new Counter({ name: 'tributary_failovers_total', help: 'Master changes made by this manager', labelNames: ['kind'], registers }),
    detectionMs: new Histogram({ name: 'tributary_failover_detection_ms', help: 'First failed check of the master until the decision to fail over (ms)', buckets: MS_BUCKETS, registers }),
    promotionMs: new Histogram({ name: 'tributary_failover_promotion_ms', help: 'Decision until the new master record is written (ms)', buckets: MS_BUCKETS, registers }),
    nodeUp: new Gauge({ name: 'tributary_redis_node_up', help: '1 when this manager sees the node up', labelNames: ['node'], registers }),
    isLeader: new Gauge({ name: 'tributary_failover_is_leader', help: '1 while this manager leads', registers }),
    epoch: new Gauge({ name: 'tributary_failover_epoch', help: 'Epoch of the master record last read', registers }),
  };
}

export type FailoverMetrics = ReturnType<typeof createFailoverMetrics>;
