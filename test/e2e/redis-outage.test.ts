/**
 * `tributary start all` as a process on a redis-server of the test's own, which the test kills,
 * restarts and freezes: every edge answers 503 with Retry-After (never 500), /ready names redis,
 * and everything the process writes is JSON lines.
 */
import { WebSocket } from 'ws';
import { PostgresDirectory } from '../../infra/postgres/directory/postgres-directory';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { freePort, type ServiceProcess, spawnService } from '../support/processes';
import { testPrefix } from '../support/redis';
import { basic, type SeededUser, seedUser } from '../support/stack';
import { startThrowawayRedis, type ThrowawayRedis } from '../support/throwaway-redis';

jest.setTimeout(60_000);

let db: TestDatabase;
let redis: ThrowawayRedis;
let service: ServiceProcess;
let alice: SeededUser;
let flowPath: string;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const directory = new PostgresDirectory(db.pool);
  const org = await directory.createOrganization('Acme');
  const flow = await directory.createFlow(org.id, 'Main');
  alice = await seedUser(directory, 'alice');
  await directory.addOrganizationMember(org.id, alice.id, true);
  await directory.addFlowMember(flow.id, alice.id);
  flowPath = `${org.parameterizedName}/${flow.parameterizedName}`;
  redis = await startThrowawayRedis();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  service = await spawnService('all', port, {
    DATABASE_URL: db.url, REDIS_URL: redis.url, REDIS_PREFIX: testPrefix(), DEMO: 'off', SHARDS: '2', LOG_LEVEL: 'info', REDIS_COMMAND_TIMEOUT_MS: '1000',
  });
});

afterAll(async () => {
  await service?.kill('SIGTERM');
  await redis?.stop();
  await db?.drop();
});

const json = { 'content-type': 'application/json' };
const post = (content: string) =>
  fetch(`${base}/flows/${flowPath}/messages`, { method: 'POST', headers: { authorization: alice.auth, ...json }, body: JSON.stringify({ event: 'message', content }) });

/** Every way in that needs Redis: a post, a read, a password login, a stream open. */
const edges: [string, () => Promise<Response>][] = [
  ['a post', () => post('during the outage')],
  ['a read', () => fetch(`${base}/flows/${flowPath}`, { headers: { authorization: alice.auth } })],
  ['a password login', () => fetch(`${base}/flows`, { headers: { authorization: basic(alice.email, alice.password) } })],
  ['an HTTP stream open', () => fetch(`${base}/stream/flows/${flowPath}`, { headers: { authorization: alice.auth } })],
];

async function expectUnavailable(what: string, res: Response): Promise<void> {
  const body = await res.text();
  expect({ what, status: res.status, body: JSON.parse(body) }).toEqual({ what, status: 503, body: expect.objectContaining({ code: 'UNAVAILABLE', message: expect.stringMatching(/Redis/) }) });
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
}

async function ready(): Promise<{ status: number; body: { checks: Record<string, { state: string; error?: string }> } }> {
  const res = await fetch(`${base}/ready`);
  return { status: res.status, body: await res.json() };
}

/** Polls /ready until it answers `status` (bounded). */
async function readyBecomes(status: number): Promise<void> {
  const until = Date.now() + 15_000;
  while ((await ready()).status !== status) {
    if (Date.now() > until) throw new Error(`/ready never answered ${status}:\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An open, authenticated WebSocket and the frames it received. */
async function openSocket(): Promise<{ ws: WebSocket; next(type: string): Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { authorization: alice.auth } });
  const frames: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()));
    for (const w of waiters.splice(0)) w();
  });
  const next = async (type: string) => {
    for (;;) {
      const i = frames.findIndex((f) => f.type === type);
      if (i >= 0) return frames.splice(i, 1)[0] as Record<string, unknown>;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  await next('hello');
  return { ws, next };
}

test('Redis killed: posts, reads, logins, stream opens and WebSocket frames answer 503 with Retry-After; /ready names redis; all is well once it is back', async () => {
  expect((await post('before')).status).toBe(201);
  expect(await ready()).toMatchObject({ status: 200, body: { checks: { postgres: { state: 'up' }, redis: { state: 'up' } } } });
  const socket = await openSocket();

  redis.signal('SIGKILL');
  for (const [what, call] of edges) await expectUnavailable(what, await call());
  socket.ws.send(JSON.stringify({ type: 'post', ref: 'p1', flow: flowPath, event: 'message', content: 'over the socket' }));
  expect(await socket.next('error')).toMatchObject({ ref: 'p1', status: 503, code: 'UNAVAILABLE', retry_after: expect.any(Number) });
  const down = await ready();
  expect(down.status).toBe(503);
  expect(down.body.checks.redis).toMatchObject({ state: 'down' });
  expect(down.body.checks.postgres).toEqual({ state: 'up' });

  await redis.restart();
  await readyBecomes(200);
  expect((await post('after')).status).toBe(201);
  socket.ws.send(JSON.stringify({ type: 'post', ref: 'p2', flow: flowPath, event: 'message', content: 'socket again' }));
  expect(await socket.next('ack')).toMatchObject({ ref: 'p2' });
  socket.ws.close();
});

test('Redis frozen (SIGSTOP): requests answer 503 within the command timeout instead of hanging, /ready within a second', async () => {
  redis.signal('SIGSTOP');
  try {
    const started = Date.now();
    await expectUnavailable('a post', await post('frozen'));
    await expectUnavailable('a read', await edges[1]![1]());
    expect(Date.now() - started).toBeLessThan(5000);
    const probeStarted = Date.now();
    expect((await ready()).status).toBe(503);
    expect(Date.now() - probeStarted).toBeLessThan(2000);
  } finally {
    redis.signal('SIGCONT');
  }
  await readyBecomes(200);
});

test('everything the process wrote, outages included, is JSON lines', async () => {
  const lines = service.allOutput().split('\n').filter((l) => l.trim() !== '');
  expect(lines.length).toBeGreaterThan(0);
  const notJson = lines.filter((l) => {
    try {
      return typeof JSON.parse(l) !== 'object';
    } catch {
      return true;
    }
  });
  expect(notJson).toEqual([]);
  // The outage was told, at a sane rate: a handful of connection lines, not one per reconnect attempt.
  const redisLines = lines.filter((l) => /Redis (unreachable|still unreachable|reachable again)/.test(l));
  expect(redisLines.length).toBeGreaterThan(0);
  expect(redisLines.length).toBeLessThan(10);
});
