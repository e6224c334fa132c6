/** The composition with stand-in services and in-process parts, no server: what each service is handed, one HTTP server, the order of start and drain. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router } from 'express';
import { loadConfig } from '../core/config';
import { InProcessBus } from '../core/in-process/in-process-bus';
import { InProcessPresence } from '../core/in-process/in-process-presence';
import { silentLog } from '../core/log';
import { defineService, type ServiceDescriptor } from '../core/service-descriptor';
import { staticAssetsService } from '../infra/http/static-assets-service';
import { type Composition, composeServices } from './compose';
import type { Infrastructure, InfrastructureParts } from './infrastructure';
import type { InfrastructurePlan } from './infrastructure-plan';

const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
let events: string[];
let running: Composition | null;

beforeEach(() => {
  events = [];
  running = null;
});
afterEach(async () => {
  await running?.stop();
});

/** In-process stand-ins for what the plan lists (the stand-in services here ask only for the bus and presence). */
async function build(plan: InfrastructurePlan): Promise<Infrastructure> {
  events.push(`build ${[...plan.parts].sort().join(',')}`);
  const parts: InfrastructureParts = {};
  if (plan.parts.has('bus')) parts.bus = new InProcessBus();
  if (plan.parts.has('presence')) parts.presence = new InProcessPresence({ ttlMs: 1000 });
  return { mode: 'embedded', pool: null, parts, readiness: {}, close: async () => void events.push('infra closed') };
}

/** A service that records its start and stop, serves `GET <path>/who` with its name, and reports the part names it was handed. */
function recorder(name: string, path: string, needs: ('bus' | 'presence')[], extra: { failStart?: boolean; ready?: () => Promise<void> } = {}): ServiceDescriptor {
  return defineService({
    name, summary: name, inAll: true, needs, http: 'shared',
    async start({ parts, alone }) {
      if (extra.failStart) throw new Error(`${name} cannot start`);
      events.push(`start ${name} with ${Object.keys(parts).sort().join(',')}${alone ? ' alone' : ''}`);
      const router = Router().get('/who', (_req, res) => void res.json({ name }));
      return { routes: [{ path, router }], ...(extra.ready ? { readiness: { [name]: extra.ready } } : {}), stop: async () => void events.push(`stop ${name}`) };
    },
  });
}

const compose = (descriptors: ServiceDescriptor[]) => composeServices(descriptors, { config, log: silentLog(), build });
const get = (c: Composition, path: string) => fetch(`http://127.0.0.1:${c.port}${path}`);

it('builds the union of the needs once, hands each service exactly its own, and drains them in reverse', async () => {
  const c = await compose([recorder('worker', '/', ['bus']), recorder('edge', '/edge', ['bus', 'presence'])]);
  await c.stop();
  expect(events).toEqual(['build bus,presence', 'start worker with bus', 'start edge with bus,presence', 'stop edge', 'stop worker', 'infra closed']);
});

it('serves every service on one port beside /health, /ready and /metrics; a service under a path is not shadowed by one at the root', async () => {
  running = await compose([recorder('root', '/', []), recorder('stream', '/stream', [])]);
  expect(await (await get(running, '/who')).json()).toEqual({ name: 'root' });
  expect(await (await get(running, '/stream/who')).json()).toEqual({ name: 'stream' });
  expect((await get(running, '/health')).status).toBe(200);
  expect(await (await get(running, '/metrics')).text()).toContain('tributary_http_requests_total');
  const missing = await get(running, '/nothing');
  expect(missing.status).toBe(404);
  expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
});

it('/ready runs the checks every service adds and names the one that fails', async () => {
  let healthy = true;
  running = await compose([recorder('worker', '/', [], { ready: async () => { if (!healthy) throw new Error('queue unreachable'); } })]);
  expect(await (await get(running, '/ready')).json()).toEqual({ status: 'ready', checks: { worker: { state: 'up' } } });
  healthy = false;
  const down = await get(running, '/ready');
  expect(down.status).toBe(503);
  expect(await down.json()).toEqual({ status: 'not ready', checks: { worker: { state: 'down', error: 'queue unreachable' } } });
});

it('/ready reports each dependency of the infrastructure: an optional one down keeps it ready, a required one that hangs is down within a second', async () => {
  let hang = false;
  const withDependencies = async (plan: InfrastructurePlan): Promise<Infrastructure> => ({
    ...(await build(plan)),
    readiness: {
      zookeeper: { required: false, check: async () => { throw new Error('not connected'); } },
      redis: { required: true, check: () => (hang ? new Promise<void>(() => {}) : Promise.resolve()) },
    },
  });
  running = await composeServices([recorder('worker', '/', [])], { config, log: silentLog(), build: withDependencies });
  const ready = await get(running, '/ready');
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({
    status: 'ready',
    checks: { zookeeper: { state: 'down', error: 'not connected', required: false }, redis: { state: 'up' } },
  });
  hang = true;
  const started = Date.now();
  const down = await get(running, '/ready');
  expect(Date.now() - started).toBeLessThan(2500);
  expect(down.status).toBe(503);
  expect((await down.json()).checks.redis).toEqual({ state: 'down', error: 'no answer within 1000 ms' });
});

it('a service that fails to start stops those already started and closes the infrastructure', async () => {
  await expect(compose([recorder('worker', '/', ['bus']), recorder('edge', '/edge', [], { failStart: true })])).rejects.toThrow('edge cannot start');
  expect(events).toEqual(['build bus', 'start worker with bus', 'stop worker', 'infra closed']);
});

it('a busy port is one sentence naming PORT, and what started is stopped', async () => {
  const first = await compose([recorder('a', '/', [])]);
  try {
    const busy = composeServices([recorder('b', '/', [])], { config: { ...config, PORT: first.port! }, log: silentLog(), build });
    await expect(busy).rejects.toThrow(`port ${first.port} is already in use; set PORT to a free port`);
    expect(events.slice(-2)).toEqual(['stop b', 'infra closed']);
  } finally {
    await first.stop();
  }
});

it('hands a WebSocket upgrade to the service that claims its path and refuses any other', async () => {
  const upgrading = defineService({
    name: 'ws', summary: 'ws', inAll: true, needs: [], http: 'shared',
    async start() {
      return { upgrades: [{ paths: ['/ws'], handle: (_req, socket) => socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n') }], stop: async () => {} };
    },
  });
  running = await compose([upgrading]);
  const upgrade = (path: string) =>
    new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.1', port: running!.port!, path, headers: { connection: 'Upgrade', upgrade: 'test' } });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(String(res.statusCode));
      });
      req.on('error', (err) => resolve((err as NodeJS.ErrnoException).code ?? 'error'));
      req.end();
    });
  expect(await upgrade('/ws?token=x')).toBe('101');
  expect(await upgrade('/elsewhere')).toBe('ECONNRESET');
});

it('builds no shared server when every selected service serves itself', async () => {
  const own = defineService({ name: 'own', summary: 'own', inAll: false, needs: [], http: 'own', start: async () => ({ stop: async () => void events.push('stop own') }) });
  const c = await compose([own]);
  expect(c).toMatchObject({ server: null, port: null });
  await c.stop();
  expect(events).toEqual(['build ', 'stop own', 'infra closed']);
});

describe('the static assets slot', () => {
  const folder = mkdtempSync(join(tmpdir(), 'tributary-assets-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('serves a folder under its path, index.html for the app’s own routes, beside a service at the root', async () => {
    writeFileSync(join(folder, 'index.html'), '<title>app</title>');
    writeFileSync(join(folder, 'app.js'), 'console.log(1)');
    running = await compose([staticAssetsService({ name: 'app', summary: 'the app', path: '/app', folder }), recorder('root', '/', [])]);
    expect(await (await get(running, '/app/app.js')).text()).toBe('console.log(1)');
    expect(await (await get(running, '/app/flows/main')).text()).toBe('<title>app</title>');
    expect((await get(running, '/app/gone.js')).status).toBe(404);
    expect(await (await get(running, '/who')).json()).toEqual({ name: 'root' });
  });
});
