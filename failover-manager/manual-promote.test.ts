/** Manual switch-over through the API: safe (no acknowledged write lost) and refused for unknown nodes. */
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { FAILOVER_PATHS } from '../core/discovery/failover-state';
import { readFailoverState, readHistory, writePromoteRequest } from './failover-znodes';
import { type Scenario, startScenario, waitFor, waitForRecord } from './testing/harness';

jest.setTimeout(90_000);

let s: Scenario | null = null;
let server: Server | null = null;
afterEach(async () => {
  server?.close();
  server = null;
  await s?.stop();
  s = null;
});

const connectTo = (address: string) => {
  const [host, port] = address.split(':');
  const r = new Redis({ host, port: Number(port), maxRetriesPerRequest: 1 });
  r.on('error', () => {});
  return r;
};

async function listen(sc: Scenario): Promise<string> {
  server = await new Promise<Server>((resolve) => {
    const srv = sc.managers[1]!.app.listen(0, '127.0.0.1', () => resolve(srv));
  });
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** Writes seq:i in order, following the master record whenever a write fails; returns the acknowledged i. */
function followingWriter(sc: Scenario) {
  const acked: number[] = [];
  let stop = false;
  let failed = 0;
  const done = (async () => {
    let master = (await readFailoverState(sc.zkSession)).record!.value.master;
    let redis = connectTo(master);
    for (let i = 0; !stop; ) {
      try {
        await redis.set(`seq:${i}`, String(i));
        acked.push(i++);
      } catch {
        failed++; // not acknowledged: retried with the same key, as a client retries with the same uuid
        const now = (await readFailoverState(sc.zkSession)).record!.value.master;
        if (now !== master) {
          redis.disconnect();
          redis = connectTo((master = now));
        }
      }
    }
    redis.disconnect();
  })();
  return { acked, failed: () => failed, stop: () => { stop = true; return done; } };
}

test('promote a replica: switch-over with zero lost writes, history says manual', async () => {
  s = await startScenario(2);
  await waitForRecord(s.zkSession, 'initial discovery', (r) => r.epoch === 1);
  const base = await listen(s);
  const target = s.replicas[1]!;
  const writer = followingWriter(s);
  await new Promise((r) => setTimeout(r, 300));
  const asked = Date.now();
  const res = await fetch(`${base}/promote`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target }) });
  expect(res.status).toBe(202);
  const record = await waitForRecord(s.zkSession, 'the switch-over', (r) => r.epoch === 2);
  console.log(`manual switch-over to ${target}: record written ${Date.now() - asked} ms after POST /promote`);
  await new Promise((r) => setTimeout(r, 300));
  await writer.stop();
  expect(record).toMatchObject({ master: target, reason: `manual switch-over to ${target}` });
  const check = connectTo(target);
  const values = await check.mget(...writer.acked.map((i) => `seq:${i}`));
  check.disconnect();
  const lost = writer.acked.filter((i, k) => values[k] !== String(i));
  console.log(`switch-over: ${writer.acked.length} acknowledged writes, ${writer.failed()} refused and retried, ${lost.length} lost`);
  expect(writer.acked.length).toBeGreaterThan(100);
  expect(lost).toEqual([]);
  expect(await readHistory(s.zkSession)).toEqual([expect.objectContaining({ manual: true, oldMaster: s.master, newMaster: target, epoch: 2 })]);
  await waitFor('the old master to follow the new one', () => s!.managers.find((m) => m.loop.status().isLeader)?.loop.status()
    .nodes.some((n) => n.address === s!.master && n.role === 'replica'));
});

test('promote an unknown node: 400 naming target; a request written behind the API is rejected; nothing changes', async () => {
  s = await startScenario(2);
  await waitForRecord(s.zkSession, 'initial discovery', (r) => r.epoch === 1);
  const base = await listen(s);
  const res = await fetch(`${base}/promote`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: '10.0.0.9:6379' }) });
  expect(res.status).toBe(400);
  expect((await res.json()).errors.target[0]).toMatch(/unknown node 10\.0\.0\.9:6379; known: /);
  expect(await s.zkSession.exists(FAILOVER_PATHS.promoteRequest)).toBe(false);
  await writePromoteRequest(s.zkSession, '10.0.0.9:6379');
  // Generous: with the whole suite running on two cores the managers' ticks can lag.
  await waitFor('the request to be consumed', async () => !(await s!.zkSession.exists(FAILOVER_PATHS.promoteRequest)), 30_000);
  // The leader removes the request, then records what it did: wait for that sentence too.
  const leader = s.managers.find((m) => m.loop.status().isLeader)!;
  await waitFor('the leader to say it rejected the request', () => /rejected promote request: unknown node 10\.0\.0\.9:6379/.test(leader.loop.status().lastActions.join('\n')));
  expect((await readFailoverState(s.zkSession)).record!.value).toMatchObject({ master: s.master, epoch: 1 });
  expect(await readHistory(s.zkSession)).toEqual([]);
});
