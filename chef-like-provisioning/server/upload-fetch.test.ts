/** Upload to and pull from a real ZooKeeper (converged by the zookeeper cookbook), and an unreachable store. */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../core/project-root';
import { compile } from '../compile';
import { roles } from '../roles';
import { runResources } from '../runner';
import { converge, killByPidFiles } from '../cookbooks/testing/converge';
import { fetchFromServer, newCacheDir } from './fetch';
import { openStore, STORE_ROOT } from './store';
import { loadCompiledTree, upload } from './upload';
import { uploadCommand } from './upload-command';

const root = projectRoot();
const dir = mkdtempSync(join(tmpdir(), 'provisioning-store-'));
// Inside the checkout, so the compiled cookbooks' require('zod') resolves (as on a real node).
const build = join(root, '.data', `provisioning-test-build-${process.pid}`);
const caches: string[] = [];
const ZK = '127.0.0.1:12192';

beforeAll(async () => {
  chmodSync(dir, 0o755);
  await converge(['zookeeper'], { zookeeper: { dataDir: dir, clientPort: 12192, heapMb: 64 } });
  // A private build of just the cookbooks and roles: rewriting dist/ under other test files that run
  // it would be rude, and the rest of the project's type errors are not this test's business.
  mkdirSync(build, { recursive: true });
  const tsconfig = {
    extends: join(root, 'tsconfig.build.json'),
    include: [join(root, 'chef-like-provisioning/cookbooks'), join(root, 'chef-like-provisioning/roles')],
    compilerOptions: { outDir: build, rootDir: root, sourceMap: false },
  };
  writeFileSync(join(build, 'tsconfig.json'), JSON.stringify(tsconfig));
  execFileSync('npx', ['tsc', '-p', join(build, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
}, 180_000);

afterAll(async () => {
  await killByPidFiles([join(dir, '12192', 'zookeeper.pid'), join(dir, 'redis', '17395', 'redis.pid')]);
  for (const d of [dir, build, ...caches]) rmSync(d, { recursive: true, force: true });
}, 20_000);

test('upload publishes versioned cookbooks, _lib and roles; a node pulls its role and runs its recipes', async () => {
  const store = await openStore(ZK);
  try {
    const lines = await upload(store, loadCompiledTree(build));
    expect(lines).toEqual(expect.arrayContaining(['role all-in-one', expect.stringMatching(/^cookbook redis 1\.0\.0 \(\d+ files\)$/), expect.stringMatching(/^cookbook _lib /)]));
    expect((await store.get(`${STORE_ROOT}/cookbooks/redis/latest`)).toString()).toBe('1.0.0');
    expect(await store.children(`${STORE_ROOT}/cookbooks/redis/1.0.0`)).toContain('index.js');
  } finally {
    store.close();
  }

  const cache = newCacheDir(root);
  caches.push(cache);
  const fetched = await fetchFromServer(ZK, 'redis-node', cache);
  expect(fetched.roles[0]!.runList).toEqual(roles.find((r) => r.name === 'redis-node')!.runList);
  expect(fetched.cookbooks.map((c) => c.name)).toEqual(['redis']);

  // The downloaded recipes converge a real instance.
  const node = { redis: { dataDir: join(dir, 'redis'), instances: [{ port: 17395 }] } };
  const compiled = compile(fetched.roles[0]!, fetched.cookbooks, node);
  expect(compiled.errors).toEqual([]);
  const report = await runResources(compiled.resources, { whyRun: false, node: compiled.node });
  expect(report.failed).toBe(false);
  expect(execFileSync('redis-cli', ['-p', '17395', 'ping'], { encoding: 'utf8' }).trim()).toBe('PONG');
}, 60_000);

test('the upload command names a missing build; fetching names an unknown role', async () => {
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(await uploadCommand(['--zookeeper', ZK, '--dist', join(dir, 'nowhere')])).toBe(1);
    expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(/no compiled cookbooks at .*: run `npm run build` first/);
  } finally {
    stderr.mockRestore();
  }
  const cache = newCacheDir(root);
  await expect(fetchFromServer(ZK, 'no-such-role', cache)).rejects.toThrow(/role no-such-role is not in the cookbook store/);
});

test('an unreachable store fails fast with a clear message and writes nothing', async () => {
  const cache = newCacheDir(root);
  const started = Date.now();
  await expect(fetchFromServer('127.0.0.1:1', 'test-services', cache)).rejects.toThrow(/^cannot reach the cookbook store at 127\.0\.0\.1:1: /);
  expect(Date.now() - started).toBeLessThan(5000);
  expect(existsSync(cache)).toBe(false);

  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(await uploadCommand(['--zookeeper', '127.0.0.1:1', '--dist', build])).toBe(1);
    expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(/cannot reach the cookbook store at 127\.0\.0\.1:1/);
  } finally {
    stderr.mockRestore();
  }
}, 20_000);
