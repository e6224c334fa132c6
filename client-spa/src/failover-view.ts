/** What the failover page shows, worked out from the API's answer (pure, for the unit tests). */
import type { FailoverNode, FailoverStatus, FailoverTimelineEntry } from './admin-api';

/** `1 234 ms` / `2.5 s`: durations as an SRE reads them. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  return ms < 10_000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Bytes of replication lag, or why there is no figure. */
export function lagText(node: FailoverNode): string {
  if (node.role === 'master') return '–';
  if (node.lag === null) return 'unknown';
  return node.lag === 0 ? 'in sync' : `${node.lag} bytes behind`;
}

/** The replicas that may be promoted: up, and following (the managers refuse anything else). */
export const promotable = (status: FailoverStatus): FailoverNode[] => status.nodes.filter((n) => n.up && n.role === 'replica' && n.address !== status.master);

/** One line of the timeline: when, what kind, and what happened with its times. */
export interface TimelineItem {
  key: string;
  at: string;
  kind: FailoverTimelineEntry['kind'];
  title: string;
  detail: string;
  /** A master change's detection and promotion, for the bar beside it; null for other kinds. */
  phases: { detectionMs: number | null; promotionMs: number } | null;
}

function item(e: FailoverTimelineEntry): TimelineItem {
  if (e.kind === 'leader-change') {
    return { key: `l${e.at}${e.leader}`, at: e.at, kind: e.kind, title: `${e.leader} leads`, detail: e.previous ? `after ${e.previous}` : 'first leader seen', phases: null };
  }
  if (e.kind === 'zookeeper-outage') {
    const again = e.sessionExpired ? ', with a new session' : '';
    return { key: `z${e.lostAt}${e.managerId}`, at: e.lostAt, kind: e.kind, title: `${e.managerId} lost ZooKeeper for ${duration(e.outageMs)}`, detail: `back at ${e.regainedAt}${again}`, phases: null };
  }
  const how = e.manual ? 'manual switch-over' : 'automatic failover';
  const times = [`detection ${duration(e.detectionMs)}`, `promotion ${duration(e.promotionMs)}`];
  if (e.outageMs != null) times.push(`writes stopped ${duration(e.outageMs)}`);
  return {
    key: `m${e.epoch}`, at: e.at, kind: e.kind,
    title: `epoch ${e.epoch}: ${e.oldMaster ?? '(none)'} → ${e.newMaster} (${how})`,
    detail: `${times.join(', ')}${e.managerId ? `, by ${e.managerId}` : ''}: ${e.reason}`,
    phases: { detectionMs: e.detectionMs, promotionMs: e.promotionMs },
  };
}

/** The timeline newest first, as a page shows history. */
export const timelineItems = (timeline: FailoverTimelineEntry[]): TimelineItem[] => timeline.map(item).reverse();
