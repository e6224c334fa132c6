/**
 * The static-assets slot on the shared server's edge (cli/http-host.ts), over a folder made here:
 * the root redirects to the app, the app's routes get index.html, every answer carries the CSP,
 * a missing asset is a 404, and an unbuilt app says how to build it. Local HTTP only, no servers.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpHost } from '../../cli/http-host';
import { silentLog } from '../../core/log';
import { createMetrics } from '../../core/metrics';
import type { ServiceContext } from '../../core/service-descriptor';
import { listen } from './listen';
import { APP_CONTENT_SECURITY_POLICY, staticAssetsService } from './static-assets-service';

const INDEX = '<!doctype html><div id="root"></div>';

async function serve(folder: string): Promise<{ url: string; server: Server }> {
  const descriptor = staticAssetsService({ name: 'app', summary: 'test', path: '/app', folder, redirectRoot: true });
  const running = await descriptor.start({ log: silentLog() } as ServiceContext<never>);
  const app = createHttpHost({ metrics: createMetrics(), readiness: {}, isDraining: () => false, log: silentLog(), mounts: running.routes ?? [] });
  const server = (await import('node:http')).createServer(app);
  await listen(server, 0, '127.0.0.1');
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

describe('a built app', () => {
  let url: string;
  let server: Server;
  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tributary-app-'));
    mkdirSync(join(folder, 'assets'));
    writeFileSync(join(folder, 'index.html'), INDEX);
    writeFileSync(join(folder, 'assets', 'index-abc123.js'), 'console.log(1)');
    ({ url, server } = await serve(folder));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('redirects / to /app/', async () => {
    const res = await fetch(`${url}/`, { redirect: 'manual' });
    expect([res.status, res.headers.get('location')]).toEqual([302, '/app/']);
  });

  it.each(['/app/', '/app/acme/main', '/app/private/42', '/app/acme/main/threads/t1'])('serves index.html at %s, with a CSP that forbids inline script, never cached', async (path) => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(INDEX);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves hashed assets as immutable, and a missing asset is a 404, not the page', async () => {
    const asset = await fetch(`${url}/app/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY);
    for (const missing of ['/app/assets/gone.js', '/app/gone.js']) expect((await fetch(`${url}${missing}`)).status).toBe(404);
  });
});

it('answers 503 naming the fix when the app was never built', async () => {
  const { url, server } = await serve(mkdtempSync(join(tmpdir(), 'tributary-unbuilt-')));
  try {
    const res = await fetch(`${url}/app/acme/main`);
    expect(res.status).toBe(503);
    expect((await res.json()).message).toContain('npm run build:app');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
