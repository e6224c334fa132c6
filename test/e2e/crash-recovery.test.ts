/**
 * End to end, services as separate processes: web-api, two streaming-api nodes and the message
 * backend, on real Postgres and Redis. The backend is SIGKILLed in the middle of a stream of
 * posts and restarted: every acknowledged message must be stored exactly once and delivered to
 * subscribers on both streaming nodes.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { PostgresDirectory } from '../../infra/postgres/directory/postgres-directory';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { freePort, type ServiceProcess, spawnService } from '../support/processes';
import { TEST_REDIS_URL, testPrefix } from '../support/redis';

jest.setTimeout(90_000);

let db: TestDatabase;
let env: Record<string, string>;
const procs: ServiceProcess[] = [];
let token = '';
let flowId = '';
let flowPath = '';
/** Posts that had to be retried (503 while the backend was down): shows the crash was felt. */
let retries = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  const directory = new PostgresDirectory(db.pool);
  const org = await directory.createOrganization('E2E');
  const flow = await directory.createFlow(org.id, 'Crash');
  const user = await directory.createUser({ email: 'e2e@example.test', password: 'e2e-password', nick: 'e2e' });
  await directory.addOrganizationMember(org.id, user.id, true);
  await directory.addFlowMember(flow.id, user.id);
  token = await directory.createApiToken(user.id);
  flowId = flow.id;
  flowPath = `${org.parameterizedName}/${flow.parameterizedName}`;
  env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: testPrefix(), SHARDS: '4', PERSIST_TIMEOUT_MS: '1500' };
  for (const service of ['message-backend', 'web-api', 'streaming-api', 'streaming-api']) procs.push(await spawnService(service, await freePort(), env));
});

afterAll(async () => {
  for (const p of procs) await p.kill('SIGTERM');
  await db.drop();
});

const byName = (name: string) => procs.filter((p) => p.name === name);

/** A WebSocket subscriber that records the ids of the flow's message events. */
async function subscriber(port: number): Promise<{ ids: number[]; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { authorization: `Bearer ${token}` } });
  const ids: number[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', flows: [{ flow: flowId }] }));
      else if (frame.type === 'subscribed') resolve();
      else if (frame.event === 'message' && frame.flow === flowId) ids.push(frame.id);
    });
  });
  return { ids, close: () => ws.close() };
}

/** Posts with a fixed uuid until the API answers 201, as a careful client does. */
async function postUntilAcked(port: number, content: string, deadline: number): Promise<{ id: number; uuid: string } | null> {
  const uuid = randomUUID();
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/flows/${flowPath}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ event: 'message', content, uuid }),
      });
      if (res.status === 201) return { id: (await res.json()).id, uuid };
      retries++;
      await res.text();
    } catch {
      // connection trouble: retry with the same uuid
      retries++;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

it('loses and doubles nothing when the message backend is SIGKILLed mid-stream', async () => {
  const [nodeA, nodeB] = byName('streaming-api');
  const subs = [await subscriber(nodeA!.port), await subscriber(nodeB!.port)];
  const webApi = byName('web-api')[0]!;
  const deadline = Date.now() + 60_000;
  const CLIENTS = 4;
  const PER_CLIENT = 40;
  const acked: { id: number; uuid: string }[] = [];

  const clients = Array.from({ length: CLIENTS }, async (_, c) => {
    for (let i = 0; i < PER_CLIENT; i++) {
      const r = await postUntilAcked(webApi.port, `c${c}-${i}`, deadline);
      if (r) acked.push(r);
    }
  });
  let ackedAtKill = 0;
  const chaos = (async () => {
    while (acked.length < 30) await new Promise((r) => setTimeout(r, 10));
    ackedAtKill = acked.length;
    const backend = byName('message-backend')[0]!;
    await backend.kill('SIGKILL');
    procs.splice(procs.indexOf(backend), 1);
    // Down for longer than PERSIST_TIMEOUT_MS, so that waiting posts are answered 503 and retried.
    await new Promise((r) => setTimeout(r, 2000));
    procs.push(await spawnService('message-backend', backend.port, env));
  })();
  await Promise.all([...clients, chaos]);
  // The kill landed in the middle of the stream, not after it.
  expect(ackedAtKill).toBeLessThan(CLIENTS * PER_CLIENT / 2);
  expect(retries).toBeGreaterThan(0);

  expect(acked).toHaveLength(CLIENTS * PER_CLIENT);
  process.stdout.write(`crash test: ${ackedAtKill} acknowledged before the kill, ${retries} retried posts\n`);
  const stored: { id: number; uuid: string }[] = [];
  let since = 0;
  for (;;) {
    const page = await fetch(`http://127.0.0.1:${webApi.port}/flows/${flowPath}/messages?sort=asc&limit=100&since_id=${since}`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((r) => r.json() as Promise<{ id: number; uuid: string }[]>);
    if (!page.length) break;
    stored.push(...page);
    since = page[page.length - 1]!.id;
  }
  // Exactly once: every acknowledged uuid is stored, each a single time, under the id it was acknowledged with.
  expect(stored).toHaveLength(acked.length);
  const storedByUuid = new Map(stored.map((m) => [m.uuid, m.id]));
  for (const a of acked) expect(storedByUuid.get(a.uuid)).toBe(a.id);
  expect(stored.map((m) => m.id)).toEqual([...stored.map((m) => m.id)].sort((x, y) => x - y));

  // Delivered: both streaming nodes' subscribers saw every acknowledged message, in id order, once.
  const ids = stored.map((m) => m.id);
  const until = Date.now() + 10_000;
  while (subs.some((s) => s.ids.length < ids.length) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  for (const s of subs) {
    expect(s.ids).toEqual(ids);
    s.close();
  }
});
