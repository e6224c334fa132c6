/** Automatic failover against real ZooKeeper and redis-server processes, with managers in-process. */
import { Redis } from 'ioredis';
import type { Gauge } from 'prom-client';
import { readHistory } from './failover-znodes';
import { parseReplicationInfo } from './node-checker';
import { type Scenario, sentences, startScenario, waitFor, waitForRecord } from './testing/harness';

jest.setTimeout(40_000);

let s: Scenario | null = null;
afterEach(async () => {
  await s?.stop();
  s = null;
});

const info = async (address: string) => {
  const [host, port] = address.split(':');
  const r = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, commandTimeout: 1000, retryStrategy: () => null });
  try {
    await r.connect();
    return parseReplicationInfo(String(await r.info('replication')));
  } finally {
    r.disconnect();
  }
};

const epochOne = (sc: Scenario) => waitForRecord(sc.zkSession, 'initial discovery', (r) => r.epoch === 1);

test('initial discovery writes epoch 1 with the running master, and exactly one manager leads', async () => {
  s = await startScenario(3);
  const record = await epochOne(s);
  expect(record).toMatchObject({ master: s.master, epoch: 1, reason: 'initial discovery' });
  expect(record.replicas.sort()).toEqual(s.replicas);
  const leaders = await waitFor('statuses', () => (s!.managers.every((m) => m.loop.status().leader) ? s!.managers.map((m) => m.loop.status()) : null));
  expect(leaders.filter((st) => st.isLeader)).toHaveLength(1);
  expect(new Set(leaders.map((st) => st.leader)).size).toBe(1);
  // Every manager's metrics say who is master and that ZooKeeper is there; no failover yet, counted as 0.
  const value = async (gauge: Gauge, node?: string) =>
    (await gauge.get()).values.find((v) => node === undefined || v.labels.node === node)?.value;
  for (const m of s.managers) {
    await waitFor(`${m.managerId}'s master gauge`, async () => (await value(m.metrics.master, s!.master)) === 1);
    expect(await Promise.all(s.replicas.map((r) => value(m.metrics.master, r)))).toEqual([0, 0]);
    expect(await value(m.metrics.zookeeperConnected)).toBe(1);
    expect((await m.metrics.failovers.get()).values.map((v) => [v.labels.kind, v.value])).toEqual([['automatic', 0], ['manual', 0]]);
  }
});

test('master SIGKILL: the replica with the highest offset is promoted, the other repointed; the old master restarted is demoted', async () => {
  s = await startScenario(3);
  await epochOne(s);
  const [behind, ahead] = s.replicas as [string, string];
  // Hold back the lower-addressed replica so that only its offset, not the tie-break, can make it lose;
  // write more than the kernel's socket buffers hold, or it would still catch up after the kill.
  s.redis.signal(behind, 'SIGSTOP');
  const [host, port] = s.master.split(':');
  const writer = new Redis({ host, port: Number(port), commandTimeout: 5000 });
  for (let i = 0; i < 300; i++) await writer.set(`k${i}`, 'x'.repeat(100_000));
  const masterOffset = (await info(s.master)).offset;
  await waitFor('the ahead replica to catch up', async () => (await info(ahead)).offset >= masterOffset);
  writer.disconnect();
  const killedAt = Date.now();
  s.redis.signal(s.master, 'SIGKILL');
  s.redis.signal(behind, 'SIGCONT');
  const record = await waitForRecord(s.zkSession, 'a new master', (r) => r.epoch === 2);
  const tookMs = Date.now() - killedAt;
  console.log(`SIGKILL of the master → new master ${record.master} in the znode after ${tookMs} ms`);
  expect(record.master).toBe(ahead);
  await waitFor('the other replica to follow the new master', async () => (await info(behind)).following === ahead);
  const [entry] = await readHistory(s.zkSession);
  const acting = s.managers.find((m) => sentences(m).some((l) => l.includes('FAILOVER: promoted')))!;
  expect(entry).toMatchObject({ kind: 'master-change', epoch: 2, oldMaster: s.master, newMaster: ahead, manual: false, managerId: acting.managerId });
  expect(entry!.detectionMs).toBeGreaterThan(0);
  expect(entry!.promotionMs).toBeGreaterThanOrEqual(0);
  // The outage began at the acting manager's last successful check of the old master: before the
  // kill (a first failed check or the decision would come after it).
  expect(entry!.outageStartedAt).toBe(new Date(acting.checker.lastSuccessAt(s.master)!).toISOString());
  expect(Date.parse(entry!.outageStartedAt!)).toBeLessThanOrEqual(killedAt);
  expect(entry!.outageMs).toBeGreaterThanOrEqual(Date.parse(entry!.at) - Date.parse(entry!.outageStartedAt!));
  console.log(`history: outage ${entry!.outageMs} ms from the last successful check (${Date.parse(entry!.outageStartedAt!) - killedAt} ms relative to the kill), detection ${entry!.detectionMs} ms, promotion ${entry!.promotionMs} ms, by ${entry!.managerId}`);
  await s.redis.restart(s.master);
  await waitFor('the old master to be demoted', async () => (await info(s!.master)).following === ahead);
  expect((await info(s.master)).role).toBe('replica');
});

test('master SIGSTOP counts as down; after SIGCONT it is demoted and never master again', async () => {
  s = await startScenario(2);
  await epochOne(s);
  const stoppedAt = Date.now();
  s.redis.signal(s.master, 'SIGSTOP');
  const record = await waitForRecord(s.zkSession, 'a new master', (r) => r.epoch === 2);
  console.log(`SIGSTOP of the master → new master ${record.master} in the znode after ${Date.now() - stoppedAt} ms`);
  expect(s.replicas).toContain(record.master);
  s.redis.signal(s.master, 'SIGCONT');
  await waitFor('the hung master to be demoted', async () => (await info(s!.master)).following === record.master);
  await new Promise((r) => setTimeout(r, 1500));
  const after = await waitForRecord(s.zkSession, 'the record', () => true);
  expect(after).toMatchObject({ master: record.master, epoch: 2 });
  expect((await info(s.master)).role).toBe('replica');
});

test('a replica down: no failover, reported in the status', async () => {
  s = await startScenario(2);
  await epochOne(s);
  const [down] = s.replicas as [string];
  s.redis.signal(down, 'SIGKILL');
  const leader = await waitFor('a leader', () => s!.managers.find((m) => m.loop.status().isLeader));
  const st = await waitFor('the report', () => {
    const status = leader.loop.status();
    return status.lastActions.some((a) => a.includes(`replica ${down} down (no failover needed)`)) ? status : null;
  });
  expect(st.nodes.find((n) => n.address === down)).toMatchObject({ up: false });
  expect(await waitForRecord(s.zkSession, 'the record', () => true)).toMatchObject({ master: s.master, epoch: 1 });
});

test('master and all replicas down: no promotion, a loud sentence; an empty replica that comes back is not promoted', async () => {
  s = await startScenario(1);
  await epochOne(s);
  for (const a of [s.master, ...s.replicas]) s.redis.signal(a, 'SIGKILL');
  await waitFor('the loud report', () => sentences(...s!.managers).some((l) => l.includes('no replica can be promoted: all replicas are down')));
  await s.redis.restart(s.replicas[0]!);
  await waitFor('the stale report', () => sentences(...s!.managers).some((l) => l.includes('never synced with the lost master (stale)')));
  expect(await waitForRecord(s.zkSession, 'the record', () => true)).toMatchObject({ master: s.master, epoch: 1 });
});
