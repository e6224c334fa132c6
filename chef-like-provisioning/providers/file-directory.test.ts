/** file, template and directory against the real file system: drift in content, mode and owner; deletes. */
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Change, Resource, ResourceKind, ResourceKinds } from '../api';
import { providerContext, tempDir } from '../test-kit';
import { changedLines } from './file-content';
import { providers } from './index';

const context = providerContext({ app: { port: 7 } });
const dir = tempDir();
afterAll(() => rm(dir, { recursive: true, force: true }));

async function plan<K extends ResourceKind>(kind: K, name: string, props: ResourceKinds[K], action: string): Promise<Change[]> {
  const resource = { kind, name, props, declaredIn: 'test::files' } as Resource<K>;
  return providers[kind].plan(resource, action, context);
}

async function converge<K extends ResourceKind>(kind: K, name: string, props: ResourceKinds[K], action: string): Promise<string[]> {
  const changes = await plan(kind, name, props, action);
  for (const change of changes) await change.apply();
  return changes.map((c) => c.description);
}

test('file: content, mode and owner drift are each repaired, atomically, leaving no temp file', async () => {
  const path = join(dir, 'conf');
  expect(await converge('file', path, { content: 'a\nb\nc\n', mode: 0o640, owner: 'root', group: 'root' }, 'create')).toEqual([`create ${path} (mode 0640, owner root:root, 3 lines)`]);
  expect(await converge('file', path, { content: 'a\nb\nc\n', mode: 0o640 }, 'create')).toEqual([]);
  writeFileSync(path, 'a\nX\nc\n');
  chmodSync(path, 0o600);
  expect(await converge('file', path, { content: 'a\nb\nc\n' }, 'create')).toEqual([`write ${path} (mode 0600, 1 lines changed)`]);
  expect(statSync(path).mode & 0o777).toBe(0o600); // what is not asked for stays
  expect(await converge('file', path, { content: 'a\nb\nc\n', mode: 0o644 }, 'create')).toEqual([`chmod ${path} 0644 (was 0600)`]);
  chownSync(path, 65534, 65534);
  expect(await converge('file', path, { content: 'a\nb\nc\n', owner: 'root', group: 'root' }, 'create')).toEqual([`chown ${path} root:root (was 65534:65534)`]);
  expect(statSync(path).uid).toBe(0);
  expect(readdirSync(dir)).toEqual(['conf']);
  expect(await converge('file', path, { content: '' }, 'delete')).toEqual([`delete ${path}`]);
  expect(await converge('file', path, { content: '' }, 'delete')).toEqual([]);
});

test('template: rendered from the node attributes and variables, then managed as a file', async () => {
  const path = join(dir, 'tpl');
  const source = (node: Record<string, unknown>, vars: Record<string, unknown>) => `port=${(node.app as { port: number }).port} ${vars.x}\n`;
  expect(await converge('template', path, { source, variables: { x: 'y' } }, 'create')).toEqual([`create ${path} (mode 0644, 1 lines)`]);
  expect(readFileSync(path, 'utf8')).toBe('port=7 y\n');
  expect(await plan('template', path, { source, variables: { x: 'y' } }, 'create')).toEqual([]);
});

test('directory: created with parents and mode, a file in the way fails, delete keeps contents unless recursive', async () => {
  const path = join(dir, 'a/b/c');
  expect(await converge('directory', path, { mode: 0o700 }, 'create')).toEqual([`create ${path} (mode 0700)`]);
  expect(statSync(path).mode & 0o777).toBe(0o700);
  expect(await plan('directory', path, { mode: 0o700 }, 'create')).toEqual([]);
  writeFileSync(join(dir, 'plain'), '');
  await expect(plan('directory', join(dir, 'plain'), {}, 'create')).rejects.toThrow('exists and is not a directory');
  mkdirSync(join(dir, 'full/sub'), { recursive: true });
  await expect(converge('directory', join(dir, 'full'), {}, 'delete')).rejects.toThrow(/ENOTEMPTY/);
  expect(await converge('directory', join(dir, 'full'), { recursive: true }, 'delete')).toEqual([`delete ${join(dir, 'full')} and its contents`]);
});

test('changedLines counts the differing middle', () => {
  expect(changedLines('a\nb\nc\n', 'a\nB\nC\nc\n')).toBe(2);
  expect(changedLines('same', 'same')).toBe(0);
});
