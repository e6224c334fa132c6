/**
 * What SREs see of the managers, against real ZooKeeper and Redis: leader changes and ZooKeeper
 * outages in the history, GET /status while ZooKeeper is down and while a manager is hung or gone,
 * and the offset, lag, view-age and session-state metrics.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gauge } from 'prom-client';
import type { FailoverEventEntry, LeaderChangeEntry } from '../core/discovery/failover-state';
import { readEvents } from './failover-znodes';
import type { ManagerStatus } from './manager-status';
import { observer, type Scenario, startScenario, type TestManager, waitFor, waitForRecord } from './testing/harness';

jest.setTimeout(90_000);

let s: Scenario | null = null;
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) server.close();
  await s?.stop();
  s = null;
});

/** Serves the manager's own HTTP app on a free port, as service.ts does; returns its base URL. */
async function serve(manager: TestManager): Promise<string> {
  const server = createServer(manager.app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function getStatus(url: string): Promise<{ ms: number; status: ManagerStatus }> {
  const startedAt = performance.now();
  const response = await fetch(`${url}/status`);
  expect(response.status).toBe(200);
  const status = (await response.json()) as ManagerStatus;
  return { ms: performance.now() - startedAt, status };
}

const leaderOf = (managers: TestManager[]) => {
  const leading = managers.filter((m) => m.loop.status().isLeader);
  return leading.length === 1 ? leading[0]! : null;
};

const gaugeValues = async (gauge: Gauge) => (await gauge.get()).values.map((v) => ({ labels: v.labels, value: v.value }));
const gaugeValue = async (gauge: Gauge, label: string, key: string) => (await gauge.get()).values.find((v) => v.labels[label] === key)?.value;

async function eventsOf(scenario: Scenario): Promise<FailoverEventEntry[]> {
  return readEvents(scenario.zkSession);
}

test('a leader change is recorded when the leader stops: the successor names itself and its predecessor', async () => {
  s = await startScenario(2);
  await waitForRecord(s.zkSession, 'initial discovery', (r) => r.epoch === 1);
  const first = await waitFor('one leader', () => leaderOf(s!.managers));
  const initial = await waitFor('the first leader on record', async () => (await eventsOf(s!)).find((e) => e.kind === 'leader-change' && e.leader === first.managerId));
  expect(initial).toMatchObject({ kind: 'leader-change', leader: first.managerId, previous: null });
  const stoppedAt = Date.now();
  await first.stop();
  const next = await waitFor('a new leader', () => leaderOf(s!.managers.filter((m) => m !== first)));
  const change = await waitFor('the change on record', async () =>
    (await eventsOf(s!)).find((e): e is LeaderChangeEntry => e.kind === 'leader-change' && e.leader === next.managerId));
  expect(change).toMatchObject({ kind: 'leader-change', leader: next.managerId, previous: first.managerId });
  console.log(`leader ${first.managerId} stopped → ${next.managerId} on record as leader from ${change.at} (${Date.parse(change.at) - stoppedAt} ms after the stop)`);
});

test('ZooKeeper down: GET /status answers at once, says ZooKeeper is unreachable and names no leader; the outage is recorded when it is back', async () => {
  s = await startScenario(2);
  await waitForRecord(s.zkSession, 'initial discovery', (r) => r.epoch === 1);
  const [m1] = s.managers as [TestManager];
  const url = await serve(m1);
  await waitFor('a leader named in the status', async () => (await getStatus(url)).status.leader);
  s.zkSession.close();
  const stoppedAt = Date.now();
  await s.zk.stop();
  await waitFor('the manager to see ZooKeeper gone', async () => (await getStatus(url)).status.zookeeper.state !== 'connected');
  // Until "for N s" has grown past zero: a condition, not a fixed sleep.
  await waitFor('the outage to last a moment', async () => ((await getStatus(url)).status.zookeeper.unreachableForMs ?? 0) >= 100);
  // Under load: 50 status requests at once, plus the managers' own reconnect attempts.
  const answers = await Promise.all(Array.from({ length: 50 }, () => getStatus(url)));
  const times = answers.map((a) => a.ms).sort((a, b) => a - b);
  console.log(`GET /status with ZooKeeper down, 50 at once: min ${times[0]!.toFixed(1)} ms, median ${times[25]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
  const { status } = answers.at(-1)!;
  console.log(`notice: ${status.notice}`);
  expect(status.notice).toMatch(
    new RegExp(`^ZooKeeper unreachable at 127\\.0\\.0\\.1:${s.zk.port} for \\d+\\.\\d s; showing this manager's last view from \\d{4}-\\d\\d-\\d\\dT[^ ]+Z \\(\\d+\\.\\d s old\\)$`),
  );
  expect(status.leader).toBeNull();
  expect(status.isLeader).toBe(false);
  expect(status).toMatchObject({ master: s.master, epoch: 1 }); // the last record read, not forgotten
  expect(status.leaderDown).toMatch(/^cannot tell who leads: ZooKeeper unreachable/);
  expect(status.zookeeper.unreachableForMs).toBeGreaterThan(0);
  expect(status.managers.find((m) => m.managerId === m1.managerId)).toMatchObject({ up: false, down: 'this manager is not connected to ZooKeeper' });
  expect(await gaugeValue(m1.metrics.sessionState, 'state', 'connected')).toBe(0);
  expect(await gaugeValue(m1.metrics.sessionState, 'state', status.zookeeper.state)).toBe(1);

  await s.zk.start(); // same port, same data
  s.zkSession = await observer(s.zk.connectString);
  const outages = await waitFor('both managers to record the outage', async () => {
    const found = (await eventsOf(s!)).filter((e) => e.kind === 'zookeeper-outage');
    return s!.managers.every((m) => found.some((e) => e.managerId === m.managerId)) ? found : null;
  }, 30_000);
  for (const o of outages) {
    if (o.kind !== 'zookeeper-outage') continue;
    console.log(`${o.managerId}: ZooKeeper outage ${o.lostAt} → ${o.regainedAt} (${o.outageMs} ms, session expired: ${o.sessionExpired})`);
    expect(Date.parse(o.lostAt)).toBeGreaterThanOrEqual(stoppedAt);
    expect(Date.parse(o.regainedAt) - Date.parse(o.lostAt)).toBe(o.outageMs);
  }
  const back = await waitFor('the status to name a leader again', async () => {
    const { status: st } = await getStatus(url);
    return st.leader && st.notice === null ? st : null;
  }, 30_000);
  expect(back.zookeeper).toMatchObject({ state: 'connected', unreachableForMs: null });
});

test('a hung manager is shown down and never named leader; once its znode is gone it is down as "znode gone"', async () => {
  s = await startScenario(2);
  await waitForRecord(s.zkSession, 'initial discovery', (r) => r.epoch === 1);
  const hung = await waitFor('one leader', () => leaderOf(s!.managers));
  const other = s.managers.find((m) => m !== hung)!;
  const url = await serve(other);
  await waitFor('the leader up in the other manager\'s status', async () => (await getStatus(url)).status.leader === hung.managerId);
  const hungAt = Date.now();
  await hung.loop.stop(); // its session stays: it keeps the lead's znode but stops checking and writing its view
  const seenDown = await waitFor('the hung leader shown down', async () => {
    const { status } = await getStatus(url);
    return status.managers.find((m) => m.managerId === hung.managerId && !m.up) ? status : null;
  });
  console.log(`hung leader shown down ${Date.now() - hungAt} ms after it stopped: ${seenDown.leaderDown}`);
  expect(seenDown.leader).toBeNull();
  expect(seenDown.leaderDown).toMatch(new RegExp(`^${hung.managerId} holds the lead but is down: view \\d+\\.\\d s old$`));
  // From then on it is never named leader (polled for 2 s).
  const named: string[] = [];
  for (const until = Date.now() + 2000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
    const { status } = await getStatus(url);
    if (status.leader === hung.managerId) named.push(status.viewAsOf ?? '?');
  }
  expect(named).toEqual([]);
  await hung.coordinator.stop(); // its znodes go: the other manager takes the lead
  const after = await waitFor('the other manager to lead', async () => {
    const { status } = await getStatus(url);
    return status.leader === other.managerId ? status : null;
  });
  expect(after.managers.find((m) => m.managerId === hung.managerId)).toMatchObject({ up: false, down: expect.stringMatching(/^znode gone/) });
  expect(after.managers.find((m) => m.managerId === other.managerId)).toMatchObject({ up: true, down: null });
});

test('metrics: replication offset per node, lag per replica, view age per manager, ZooKeeper session state', async () => {
  s = await startScenario(2);
  await waitForRecord(s.zkSession, 'initial discovery', (r) => r.epoch === 1);
  const writer = s.redis.nodes[0]!.client();
  for (let i = 0; i < 100; i++) await writer.set(`k${i}`, 'x'.repeat(1000));
  writer.disconnect();
  const [m1] = s.managers as [TestManager];
  // Offsets are what the manager's last check saw: the master's passes the writes at once, a
  // replica's once it has synced and been checked again, so wait for both.
  const offsets = await waitFor('the master offset past the writes and every replica replicating', async () => {
    const values = await gaugeValues(m1.metrics.offset);
    const at = (node: string) => values.find((v) => v.labels.node === node)?.value ?? -1;
    return at(s!.master) > 100_000 && s!.replicas.every((r) => at(r) > 0) ? values : null;
  });
  console.log(`offsets: ${offsets.map((v) => `${v.labels.node}=${v.value}`).join(', ')}`);
  // Lag is measured against the recorded master: until m1 has read the record (the leader may write
  // it after m1's last read) it has no lag series at all, so wait for the master's 0 to appear.
  const lag = await waitFor('m1 to measure lag against the recorded master', async () => {
    const values = await gaugeValues(m1.metrics.lag);
    return values.find((v) => v.labels.node === s!.master)?.value === 0 ? values : null;
  });
  console.log(`lag: ${lag.map((v) => `${v.labels.node}=${v.value}`).join(', ')}`);
  for (const replica of s.replicas) {
    const replicaOffset = offsets.find((v) => v.labels.node === replica)!.value;
    expect(replicaOffset).toBeGreaterThan(0);
    expect(lag.find((v) => v.labels.node === replica)?.value).toEqual(expect.any(Number));
  }
  // A replica that stops replicating falls behind by what the master takes meanwhile.
  const [stalled] = s.replicas as [string];
  s.redis.signal(stalled, 'SIGSTOP');
  const more = s.redis.nodes[0]!.client();
  for (let i = 0; i < 50; i++) await more.set(`late${i}`, 'y'.repeat(1000));
  more.disconnect();
  const behind = await waitFor('the stalled replica to lag', async () => ((await gaugeValue(m1.metrics.lag, 'node', stalled)) ?? 0) > 50_000 && gaugeValue(m1.metrics.lag, 'node', stalled));
  console.log(`lag of the SIGSTOPped replica after 50 kB more on the master: ${behind} bytes`);
  s.redis.signal(stalled, 'SIGCONT');
  const ages = await waitFor('a view age for both managers', async () => {
    const values = await gaugeValues(m1.metrics.viewAge);
    return values.length === 2 ? values : null;
  });
  console.log(`view ages seen by ${m1.managerId}: ${ages.map((v) => `${v.labels.manager}=${v.value.toFixed(2)} s`).join(', ')}`);
  expect(ages.map((v) => v.labels.manager).sort()).toEqual(s.managers.map((m) => m.managerId).sort());
  for (const a of ages) expect(a.value).toBeGreaterThanOrEqual(0);
  expect(await gaugeValue(m1.metrics.sessionState, 'state', 'connected')).toBe(1);
  expect((await gaugeValues(m1.metrics.sessionState)).filter((v) => v.value === 1)).toHaveLength(1);
  const text = await m1.metrics.registry.metrics();
  expect(text).toMatch(new RegExp(`tributary_redis_replication_lag_bytes\\{node="${s.replicas[0]!.replace(/\./g, '\\.')}"\\} \\d+`));
  expect(text).toContain('tributary_failover_zookeeper_session_state{state="connected"} 1');
});
