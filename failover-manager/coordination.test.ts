/** Leadership through ZooKeeper under bad conditions: the leader gone, ZooKeeper down at start, ZooKeeper restarted. */
import { readFailoverState } from './failover-znodes';
import { observer, type Scenario, sentences, startManager, startScenario, type TestManager, waitFor, waitForRecord } from './testing/harness';
import { startRedisGroup, startZookeeper, type TestRedisGroup, type TestZookeeper } from '../test/support/failover-servers';

jest.setTimeout(90_000);

let s: Scenario | null = null;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await s?.stop();
  s = null;
  for (const c of cleanups.splice(0)) await c();
});

const leaderOf = (managers: TestManager[]) => {
  const leading = managers.filter((m) => m.loop.status().isLeader);
  return leading.length === 1 ? leading[0]! : null;
};

test('the leader steps down (stopped): another takes over and still acts', async () => {
  s = await startScenario(3);
  await waitForRecord(s.zkSession, 'initial discovery', (r) => r.epoch === 1);
  const first = await waitFor('one leader', () => leaderOf(s!.managers));
  const stoppedAt = Date.now();
  await first.stop();
  const rest = s.managers.filter((m) => m !== first);
  const next = await waitFor('a new leader', () => leaderOf(rest));
  console.log(`leader ${first.managerId} stopped → ${next.managerId} leads after ${Date.now() - stoppedAt} ms`);
  s.redis.signal(s.master, 'SIGKILL');
  const record = await waitForRecord(s.zkSession, 'a failover by the new leader', (r) => r.epoch === 2);
  expect(s.replicas).toContain(record.master);
  // The leader logs the promotion after writing the record and its history entry, so the record can
  // be seen first: wait for the line (it never comes from a manager that did not act).
  await waitFor('the new leader logs the promotion', () => sentences(next).some((l) => l.includes('FAILOVER: promoted')));
  expect(rest.filter((m) => m !== next).some((m) => sentences(m).some((l) => l.includes('FAILOVER: promoted')))).toBe(false);
});

test('ZooKeeper down at start: the manager waits and says why, then works once ZooKeeper starts', async () => {
  const zk: TestZookeeper = await startZookeeper({ started: false });
  const redis: TestRedisGroup = await startRedisGroup(3);
  const manager = startManager(zk.connectString, redis.addresses, 'early');
  cleanups.push(async () => { await manager.stop(); await redis.stop(); await zk.stop(); });
  await waitFor('the waiting log line', () => sentences(manager).some((l) => l.includes('ZooKeeper unreachable') && l.includes('not acting, retrying')), 15_000);
  expect(manager.loop.status().lastActions.at(-1)).toMatch(/not acting: ZooKeeper unavailable/);
  await zk.start();
  const session = await observer(zk.connectString);
  cleanups.push(async () => session.close());
  const record = await waitForRecord(session, 'initial discovery after ZooKeeper came up', (r) => r.epoch === 1, 15_000);
  expect(record.master).toBe(redis.addresses[0]);
});

test('ZooKeeper restarted under running managers: they recover, keep one leader, and still act', async () => {
  s = await startScenario(2);
  await waitForRecord(s.zkSession, 'initial discovery', (r) => r.epoch === 1);
  s.zkSession.close();
  await s.zk.stop();
  await waitFor('both managers to stop acting', () => s!.managers.every((m) => /not acting/.test(m.loop.status().lastActions.at(-1) ?? '')));
  expect(s.managers.some((m) => m.loop.status().isLeader)).toBe(false);
  await new Promise((r) => setTimeout(r, 1000));
  await s.zk.start();
  s.zkSession = await observer(s.zk.connectString);
  // Generous: under a loaded CI machine the restarted JVM and the clients' reconnects take a while.
  const leader = await waitFor('one leader again', () => leaderOf(s!.managers), 30_000);
  // The other manager re-registers on its own schedule (its session is re-established or renewed).
  await waitFor('both managers registered again', async () => (await readFailoverState(s!.zkSession)).members.length === 2 || null, 15_000);
  s.redis.signal(s.master, 'SIGKILL');
  const record = await waitForRecord(s.zkSession, 'a failover after the restart', (r) => r.epoch === 2);
  expect(s.replicas).toContain(record.master);
  expect(leaderOf(s.managers)?.managerId).toBe(leader.managerId);
});
