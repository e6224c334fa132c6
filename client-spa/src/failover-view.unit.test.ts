/** The failover page's figures and timeline lines (failover-view.ts). */
import type { FailoverNode, FailoverStatus, FailoverTimelineEntry } from './admin-api';
import { duration, lagText, promotable, timelineItems } from './failover-view';

const node = (address: string, role: FailoverNode['role'], up = true, lag: number | null = 0): FailoverNode => ({ address, role, up, offset: 100, lag, seenUpBy: '2 of 2' });

it('writes durations in ms under 10 s, in seconds above, and a dash when unknown', () => {
  expect([duration(0), duration(812), duration(9_999), duration(12_345), duration(null), duration(undefined)]).toEqual(['0 ms', '812 ms', '9999 ms', '12.3 s', '–', '–']);
});

it('says how far a replica lags, and nothing for the master', () => {
  expect([lagText(node('a', 'master', true, null)), lagText(node('b', 'replica', true, 0)), lagText(node('c', 'replica', true, 420)), lagText(node('d', 'replica', false, null))])
    .toEqual(['–', 'in sync', '420 bytes behind', 'unknown']);
});

it('offers to promote only replicas that are up', () => {
  const status: FailoverStatus = {
    master: 'm:1', epoch: 3, changedAt: null, reason: null, leader: 'fm-1', leaderDown: null, managers: [],
    nodes: [node('m:1', 'master'), node('r:2', 'replica'), node('r:3', 'replica', false), node('u:4', 'unknown')],
  };
  expect(promotable(status).map((n) => n.address)).toEqual(['r:2']);
});

it('lists the timeline newest first: master changes with detection and promotion times, leader changes, ZooKeeper outages', () => {
  const timeline: FailoverTimelineEntry[] = [
    { kind: 'leader-change', at: '2026-11-30T10:00:00.000Z', leader: 'fm-1', previous: null },
    {
      kind: 'master-change', at: '2026-11-30T10:05:00.000Z', epoch: 2, reason: 'master 127.0.0.1:6390 down', oldMaster: '127.0.0.1:6390', newMaster: '127.0.0.1:6391',
      manual: false, detectionMs: 760, promotionMs: 14, managerId: 'fm-1', outageStartedAt: '2026-11-30T10:04:59.100Z', outageMs: 900,
    },
    { kind: 'zookeeper-outage', managerId: 'fm-2', lostAt: '2026-11-30T10:06:00.000Z', regainedAt: '2026-11-30T10:06:12.000Z', outageMs: 12_000, sessionExpired: true },
    { kind: 'master-change', at: '2026-11-30T10:07:00.000Z', epoch: 3, reason: 'manual switch-over to 127.0.0.1:6390', oldMaster: '127.0.0.1:6391', newMaster: '127.0.0.1:6390', manual: true, detectionMs: null, promotionMs: 40 },
  ];
  expect(timelineItems(timeline).map(({ kind, title, detail, phases }) => ({ kind, title, detail, phases }))).toEqual([
    { kind: 'master-change', title: 'epoch 3: 127.0.0.1:6391 → 127.0.0.1:6390 (manual switch-over)', detail: 'detection –, promotion 40 ms: manual switch-over to 127.0.0.1:6390', phases: { detectionMs: null, promotionMs: 40 } },
    { kind: 'zookeeper-outage', title: 'fm-2 lost ZooKeeper for 12.0 s', detail: 'back at 2026-11-30T10:06:12.000Z, with a new session', phases: null },
    {
      kind: 'master-change', title: 'epoch 2: 127.0.0.1:6390 → 127.0.0.1:6391 (automatic failover)',
      detail: 'detection 760 ms, promotion 14 ms, writes stopped 900 ms, by fm-1: master 127.0.0.1:6390 down', phases: { detectionMs: 760, promotionMs: 14 },
    },
    { kind: 'leader-change', title: 'fm-1 leads', detail: 'first leader seen', phases: null },
  ]);
});
