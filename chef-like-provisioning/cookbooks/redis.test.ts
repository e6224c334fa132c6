/** The redis cookbook converged for real: a master and two replicas on 17390-17392, idempotent, restarts only what changed. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes } from '../api';
import { changedIds, converge, killByPidFiles } from './testing/converge';

const dir = mkdtempSync(join(tmpdir(), 'cookbook-redis-'));
const ports = [17390, 17391, 17392];
const node = (maxmemory?: string): Attributes => ({
  redis: {
    dataDir: dir,
    instances: [
      { port: 17390 },
      { port: 17391, replicaof: '127.0.0.1:17390', ...(maxmemory ? { maxmemory } : {}) },
      { port: 17392, replicaof: '127.0.0.1:17390' },
    ],
  },
});
const cli = (port: number, ...args: string[]) => execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });

afterAll(async () => {
  await killByPidFiles(ports.map((p) => join(dir, String(p), 'redis.pid')));
  rmSync(dir, { recursive: true, force: true });
});

test('three instances come up with working replication; a second run changes nothing', async () => {
  const first = await converge(['redis'], node());
  expect(changedIds(first)).toEqual(expect.arrayContaining(ports.map((p) => `service[redis-${p}]`)));
  // Ready means answering PING, whatever the role (ADR 010): the link comes up on its own, within seconds.
  const linkedBy = Date.now() + 5000;
  const linked = () => [17391, 17392].every((p) => cli(p, 'info', 'replication').includes('master_link_status:up'));
  while (!linked() && Date.now() < linkedBy) await new Promise((r) => setTimeout(r, 50));
  for (const replica of [17391, 17392]) {
    const info = cli(replica, 'info', 'replication');
    expect(info).toContain('role:slave');
    expect(info).toContain('master_link_status:up');
  }
  cli(17390, 'set', 'k', 'v');
  // Replication is asynchronous and the machine may be busy: give the write a few seconds to arrive.
  const until = Date.now() + 5000;
  while (cli(17392, 'get', 'k').trim() !== 'v' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  expect(cli(17392, 'get', 'k').trim()).toBe('v');
  const second = await converge(['redis'], node());
  expect(changedIds(second)).toEqual([]);
});

test('a changed config restarts only its own instance, once', async () => {
  const pid = (p: number) => cli(p, 'info', 'server').match(/process_id:(\d+)/)?.[1];
  const before = ports.map(pid);
  const report = await converge(['redis'], node('64mb'));
  expect(changedIds(report)).toEqual([`template[${dir}/17391/redis.conf]`, 'service[redis-17391] restart']);
  const after = ports.map(pid);
  expect([after[0] === before[0], after[1] === before[1], after[2] === before[2]]).toEqual([true, false, true]);
  expect(cli(17391, 'config', 'get', 'maxmemory')).toContain(String(64 * 1024 * 1024));
});
