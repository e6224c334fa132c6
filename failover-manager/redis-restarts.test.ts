/**
 * ADR 010 against real ZooKeeper, redis-server and the redis cookbook: provisioning never changes
 * which node is master, and a master restarted inside the detection window is failed over (noticed
 * by its run_id) instead of feeding its replicas whatever it reloaded.
 */
import { Redis } from 'ioredis';
import { changedIds } from '../chef-like-provisioning/cookbooks/testing/converge';
import { readHistory } from './failover-znodes';
import { parseReplicationInfo, type ReplicationInfo } from './node-checker';
import { type Scenario, sentences, startScenario, waitFor, waitForRecord } from './testing/harness';

jest.setTimeout(60_000);

let s: Scenario | null = null;
afterEach(async () => {
  await s?.stop();
  s = null;
});

/** INFO server + replication of one node, on a connection of its own. */
async function info(address: string): Promise<ReplicationInfo> {
  const [host, port] = address.split(':');
  const r = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, commandTimeout: 1000, retryStrategy: () => null });
  try {
    await r.connect();
    return parseReplicationInfo(String(await r.call('INFO', 'server', 'replication')));
  } finally {
    r.disconnect();
  }
}

/** Every node up, the recorded master's replicas linked to it. */
async function healthy(sc: Scenario): Promise<string> {
  const record = await waitForRecord(sc.zkSession, 'a record with the master\'s run_id', (r) => !!r.masterRunId);
  await waitFor('every replica linked to the recorded master', async () => {
    const others = sc.redis.addresses.filter((a) => a !== record.master);
    return (await Promise.all(others.map(info))).every((i) => i.following === record.master && i.linkUp);
  }, 20_000);
  return record.master;
}

const FLUSH = 'Flushing old data';
const flushes = (sc: Scenario, address: string) => sc.redis.logTail(address, 100_000).split(FLUSH).length - 1;

test('after a failover, converging the redis recipe restarts no master and changes no role; a second converge changes nothing', async () => {
  s = await startScenario(2);
  const original = await healthy(s);
  s.redis.signal(original, 'SIGKILL');
  const record = await waitForRecord(s.zkSession, 'a failover', (r) => r.epoch === 2);
  const masterRunId = (await info(record.master)).runId;
  expect(masterRunId).toBe(record.masterRunId);

  // The converge the review saw fail: the dead seed master is started again, the promoted node (seeded as a replica) is left alone.
  const convergeAt = Date.now();
  const first = await s.redis.converge();
  const firstMs = Date.now() - convergeAt;
  expect(changedIds(first)).toEqual([`service[redis-${original.split(':')[1]}]`]);
  await waitFor('the old master to follow the new one', async () => {
    const i = await info(original);
    return i.role === 'replica' && i.following === record.master && i.linkUp;
  });
  const againAt = Date.now();
  const second = await s.redis.converge();
  const secondMs = Date.now() - againAt;
  expect(changedIds(second)).toEqual([]);

  // Roles as the managers left them: the same master process, the same epoch, nobody else claiming master.
  const after = await waitForRecord(s.zkSession, 'the record', () => true);
  expect(after).toMatchObject({ master: record.master, epoch: 2 });
  expect(await info(record.master)).toMatchObject({ role: 'master', runId: masterRunId });
  for (const a of s.redis.addresses.filter((n) => n !== record.master)) expect(await info(a)).toMatchObject({ role: 'replica', following: record.master });
  console.log(`converge after a failover: ${changedIds(first).length} change(s) in ${firstMs} ms; again: 0 changes in ${secondMs} ms`);
});

test('a master killed and restarted inside the detection window is failed over by its run_id; no replica resyncs from it; no acknowledged write is lost', async () => {
  // A window far longer than the restart takes, so that no failed-check count can be what notices it.
  s = await startScenario(2, { DOWN_AFTER_CHECKS: 60 });
  const original = await healthy(s);
  const replicas = s.redis.addresses.filter((a) => a !== original);
  const flushesBefore = replicas.map((a) => flushes(s!, a));
  const before = await waitForRecord(s.zkSession, 'the record', () => true);

  // A writer that counts a write acknowledged once a replica has it (WAIT 1), always on the recorded master.
  const acked: string[] = [];
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const master = (await waitForRecord(s!.zkSession, 'the record', () => true)).master;
      const [host, port] = master.split(':');
      const r = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500, commandTimeout: 1000, retryStrategy: () => null });
      r.on('error', () => {});
      try {
        await r.connect();
        for (; writing; i++) {
          await r.set(`w:${i}`, String(i));
          if (Number(await r.call('WAIT', '1', '1000')) >= 1) acked.push(`w:${i}`);
        }
      } catch {
        await new Promise((res) => setTimeout(res, 20)); // refused (READONLY, gone): read the record again
      } finally {
        r.disconnect();
      }
    }
  })();
  await waitFor('some acknowledged writes', () => acked.length >= 50);

  const killedAt = Date.now();
  s.redis.signal(original, 'SIGKILL');
  await s.redis.restart(original); // the launcher reads the record: it names this node, so it starts fenced
  const restartedMs = Date.now() - killedAt;
  const record = await waitForRecord(s.zkSession, 'a failover', (r) => r.epoch > before.epoch);
  console.log(`master SIGKILLed and restarted by a converge in ${restartedMs} ms; new master ${record.master} recorded ${Date.now() - killedAt} ms after the kill`);
  expect(replicas).toContain(record.master);
  const [entry] = (await readHistory(s.zkSession)).slice(-1);
  expect(entry).toMatchObject({ oldMaster: original, newMaster: record.master, manual: false, reason: expect.stringContaining(`${original} restarted (run_id`) });

  await waitFor('the restarted node to follow the new master', async () => {
    const i = await info(original);
    return i.role === 'replica' && i.following === record.master && i.linkUp;
  }, 20_000);
  const ackedBeforeNewMaster = acked.length;
  await waitFor('writes acknowledged through the new master', () => acked.length >= ackedBeforeNewMaster + 20, 20_000);
  writing = false;
  await writer;

  // Neither replica was flushed: the promoted one kept its data, the other resynced partially from it.
  expect(replicas.map((a) => flushes(s!, a))).toEqual(flushesBefore);
  const master = new Redis({ host: '127.0.0.1', port: Number(record.master.split(':')[1]) });
  try {
    const values = acked.length ? await master.mget(...acked) : [];
    const lost = acked.filter((_, i) => values[i] === null);
    console.log(`${acked.length} writes acknowledged by a replica, ${lost.length} lost; managers said: ${sentences(...s.managers).filter((l) => /RESTARTED|FAILOVER/.test(l)).join(' | ')}`);
    expect(lost).toEqual([]);
  } finally {
    master.disconnect();
  }
});
