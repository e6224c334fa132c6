/** The built CLI against real servers: managers as processes, `failover status|history|promote`, a leader SIGKILLed. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/project-root';
import { FAILOVER_PATHS } from '../core/discovery/failover-state';
import type { ZookeeperSession } from '../infra/zookeeper/zookeeper-session';
import { freePort, type ServiceProcess, spawnService } from '../test/support/processes';
import { readFailoverState } from './failover-znodes';
import type { ManagerStatus } from './manager-status';
import { summarize } from './status-summary';
import { observer, waitFor, waitForRecord } from './testing/harness';
import { startRedisGroup, startZookeeper, type TestRedisGroup, type TestZookeeper } from '../test/support/failover-servers';

jest.setTimeout(60_000);

const bin = join(projectRoot(), 'bin', 'tributary.js');
let zk: TestZookeeper;
let redis: TestRedisGroup;
let session: ZookeeperSession;
const managers: ServiceProcess[] = [];
/** The MANAGER_ID of each process in `managers`, by position. */
const MANAGER_IDS = ['cli-a', 'cli-b'];

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'failover', ...args], { env: { ...process.env, ZOOKEEPER_CONNECT: zk.connectString } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }));
  });
}

beforeAll(async () => {
  if (!existsSync(join(projectRoot(), 'dist', 'cli', 'failover.js'))) throw new Error('build first: npx tsc -p tsconfig.build.json');
  zk = await startZookeeper();
  redis = await startRedisGroup(3);
  for (const id of MANAGER_IDS) {
    const env = { ZOOKEEPER_CONNECT: zk.connectString, REDIS_NODES: redis.addresses.join(','), MANAGER_ID: id, ZK_SESSION_TIMEOUT_MS: '2000' };
    managers.push(await spawnService('failover-manager', await freePort(), env));
  }
  session = await observer(zk.connectString);
  await waitForRecord(session, 'initial discovery', (r) => r.epoch === 1);
});

afterAll(async () => {
  // ServiceProcess.kill waits for 'exit', which a process already killed by a signal will not emit again.
  for (const m of managers) if (m.child.exitCode === null && m.child.signalCode === null) await m.kill('SIGKILL');
  session?.close();
  await redis?.stop();
  await zk?.stop();
});

test('failover status --json: master, epoch, leader and the nodes', async () => {
  // Wait on the managers' published view here, then ask the CLI once: polling through a new CLI
  // process per probe raced the probe's bound against the CLI's start-up on a loaded machine.
  await waitFor('every node seen up', async () => summarize(await readFailoverState(session)).nodes.filter((n) => n.up).length === 3);
  const { code, stdout } = await cli('status', '--json');
  expect(code).toBe(0);
  const status = JSON.parse(stdout);
  expect(status).toMatchObject({ master: redis.addresses[0], epoch: 1 });
  expect(['cli-a', 'cli-b']).toContain(status.leader);
  expect(status.nodes.map((n: { address: string }) => n.address)).toEqual([...redis.addresses].sort());
  expect(status.nodes.find((n: { address: string }) => n.address === redis.addresses[0])).toMatchObject({ role: 'master', up: true });
  expect(status.nodes[0].offset).toEqual(expect.any(Number));
});

test('failover promote of an unknown node: exit 2, a clear message, nothing written', async () => {
  const r = await cli('promote', '10.0.0.9:6379');
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/unknown node 10\.0\.0\.9:6379; known: 127\.0\.0\.1:\d+, /);
  expect(await session.exists(FAILOVER_PATHS.promoteRequest)).toBe(false);
  expect((await readFailoverState(session)).record!.value.epoch).toBe(1);
});

test('failover promote HOST:PORT switches over and waits for it; history lists it', async () => {
  const target = redis.addresses[2]!;
  const r = await cli('promote', target);
  expect(r.stdout).toContain(`${target} is the master now (epoch 2)`);
  expect(r.code).toBe(0);
  const h = await cli('history');
  expect(h.stdout).toMatch(new RegExp(`epoch 2 +manual +${redis.addresses[0]!.replace(/\./g, '\\.')} → ${target.replace(/\./g, '\\.')} +took \\d+ ms`));
});

test('ZooKeeper down: failover status says so within its bounds, and with --manager shows that manager\'s last view', async () => {
  session.close();
  await zk.stop();
  let startedAt = performance.now();
  const bare = await cli('status');
  console.log(`failover status with ZooKeeper down: exit ${bare.code} after ${(performance.now() - startedAt).toFixed(0)} ms (process start included)`);
  expect(bare.code).toBe(1);
  expect(bare.stderr).toContain(`ZooKeeper unreachable at ${zk.connectString}`);
  expect(bare.stderr).toContain('pass --manager http://HOST:PORT');
  await waitFor('a manager to notice', async () => {
    const r = await fetch(`http://127.0.0.1:${managers[0]!.port}/status`);
    return ((await r.json()) as { notice: string | null }).notice;
  });
  startedAt = performance.now();
  const viaManager = await cli('status', '--manager', `http://127.0.0.1:${managers[0]!.port}`, '--manager', `http://127.0.0.1:${managers[1]!.port}`);
  console.log(`failover status --manager with ZooKeeper down: exit ${viaManager.code} after ${(performance.now() - startedAt).toFixed(0)} ms\n${viaManager.stdout}`);
  expect(viaManager.code).toBe(0);
  expect(viaManager.stdout).toMatch(/^NOTE: ZooKeeper unreachable at .*; http:\/\/127\.0\.0\.1:\d+ says: ZooKeeper unreachable at 127\.0\.0\.1:\d+ for \d+\.\d s; showing this manager's last view from /);
  expect(viaManager.stdout).toMatch(/leader none up \(cannot tell who leads/);
  expect((await cli('status', '--manager', 'not a url')).code).toBe(2);
  await zk.start();
  session = await observer(zk.connectString);
  await waitFor('both managers registered and one leading again', async () => {
    const state = await readFailoverState(session);
    return state.members.length === 2 && summarize(state).leader;
  }, 30_000);
});

test('the leader SIGKILLed: the other leads within the session timeout and still fails over', async () => {
  const { leaderId: leader } = await readFailoverState(session);
  // By the id each process was started with: a log line can name another manager's id too (a leader change names its predecessor).
  const victim = managers[MANAGER_IDS.indexOf(leader!)]!;
  const survivor = managers.find((m) => m !== victim)!;
  const statusOf = async () => (await (await fetch(`http://127.0.0.1:${survivor.port}/status`)).json()) as ManagerStatus;
  const killedAt = Date.now();
  await victim.kill('SIGKILL');
  // Down because it is dead, not because its view is stale: right after the previous test's ZooKeeper
  // restart every view can be 3 s old for a moment (both managers shown down), and the victim's last
  // view, written just before the kill, then makes it look alive again. Its znode going is final.
  await waitFor('the killed leader shown down', async () => (await statusOf()).managers.find((m) => m.managerId === leader && m.down?.startsWith('znode gone')), 8000);
  console.log(`leader process SIGKILLed → shown down by the survivor after ${Date.now() - killedAt} ms`);
  for (const until = Date.now() + 1500; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) expect((await statusOf()).leader).not.toBe(leader);
  const viaCli = JSON.parse((await cli('status', '--json')).stdout);
  expect(viaCli.leader).not.toBe(leader);
  expect(viaCli.managers.find((m: { managerId: string }) => m.managerId === leader) ?? { up: false }).toMatchObject({ up: false });
  await waitFor('another leader', async () => {
    const l = (await readFailoverState(session)).leaderId;
    return l && l !== leader;
  }, 6000);
  console.log(`leader process SIGKILLed → another manager leads after ${Date.now() - killedAt} ms (session timeout 2000 ms)`);
  const master = (await readFailoverState(session)).record!.value.master;
  redis.signal(master, 'SIGKILL');
  const record = await waitForRecord(session, 'a failover by the surviving manager', (rec) => rec.epoch === 3, 10_000);
  expect(record.master).not.toBe(master);
  expect(await survivor.kill('SIGTERM')).toBe(0);
});
