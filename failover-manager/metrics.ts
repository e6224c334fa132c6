/** The failover manager's Prometheus metrics, on a registry of its own. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ManagerView, NodeAddress, NodeObservation } from '../core/discovery/failover-state';
import { SESSION_STATES, type SessionState } from './failover-events';
import { replicationLag } from './replication-lag';

const MS_BUCKETS = [10, 25, 50, 100, 250, 500, 1000, 2000, 3000, 5000, 10_000, 30_000];

/** Every kind of master change a manager makes (master-moves.ts): each series exists at 0 from the start. */
export const FAILOVER_KINDS = ['automatic', 'manual'] as const;

/** Where the gauges read at scrape time come from (the manager's checker and coordinator). */
export interface MetricsSource {
  observations(): Record<NodeAddress, NodeObservation>;
  /** The master the record last read names. */
  master(): NodeAddress | null;
  /** The views last read from ZooKeeper. */
  views(): readonly ManagerView[];
  sessionState(): SessionState;
}

/**
 * Builds the registry and every metric the manager exports. Every series an alert reads exists
 * from the start (at 0), one per node where labelled by node: an alert on an increase or on a
 * value must not wait for the first event to have a series to compare with. Offsets, lag, view
 * ages and the session state are read at scrape time from the {@link MetricsSource} given to
 * `attach`, so they are as fresh as the manager's own state, even when its loop is stuck.
 */
export function createFailoverMetrics(nodes: readonly string[] = []) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let source: MetricsSource | null = null;
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
    offset: new Gauge({
      name: 'tributary_redis_replication_offset', help: "The node's replication offset as this manager last checked it (bytes; -1 until known)", labelNames: ['node'], registers,
      collect() {
        if (source) for (const [node, o] of Object.entries(source.observations())) this.set({ node }, o.offset);
      },
    }),
    lag: new Gauge({
      name: 'tributary_redis_replication_lag_bytes', help: 'How many bytes the replica is behind the recorded master (0 for the master)', labelNames: ['node'], registers,
      collect() {
        if (!source) return;
        const own = source.observations();
        const master = source.master();
        for (const node of Object.keys(own)) {
          const lag = node === master ? 0 : replicationLag(own, master, node);
          if (lag === null) this.remove({ node });
          else this.set({ node }, lag);
        }
      },
    }),
    viewAge: new Gauge({
      name: 'tributary_failover_view_age_seconds', help: "Age of each manager's published view, as this manager last read it (s)", labelNames: ['manager'], registers,
      collect() {
        if (!source) return;
        this.reset(); // a manager whose view is gone has no age: it is gone
        const now = Date.now();
        for (const v of source.views()) this.set({ manager: v.managerId }, (now - v.at) / 1000);
      },
    }),
    sessionState: new Gauge({
      name: 'tributary_failover_zookeeper_session_state', help: "1 for this manager's ZooKeeper session state (connecting, connected, disconnected, expired), 0 for the others", labelNames: ['state'], registers,
      collect() {
        const current = source?.sessionState() ?? 'connecting';
        for (const state of SESSION_STATES) this.set({ state }, state === current ? 1 : 0);
      },
    }),
    /** Reads offsets, lag, view ages and the session state from `from` at every scrape. */
    attach(from: MetricsSource): void {
      source = from;
    },
  };
  for (const kind of FAILOVER_KINDS) metrics.failovers.inc({ kind }, 0);
  for (const node of nodes) {
    metrics.nodeUp.set({ node }, 0);
    metrics.master.set({ node }, 0);
    metrics.offset.set({ node }, -1);
    metrics.lag.set({ node }, 0);
  }
  metrics.isLeader.set(0);
  metrics.epoch.set(0);
  metrics.zookeeperConnected.set(0);
  for (const state of SESSION_STATES) metrics.sessionState.set({ state }, state === 'connecting' ? 1 : 0);
  return metrics;
}

export type FailoverMetrics = ReturnType<typeof createFailoverMetrics>;
