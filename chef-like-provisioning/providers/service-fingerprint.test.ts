/** With real processes: a changed env or command restarts exactly that service; an unchanged converge restarts nothing. */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Cookbook } from '../api';
import { convergeTest, echoService, freePort, killPidFiles, tempDir, testRole } from '../test-kit';
import { readPid } from './process-state';
import { fingerprintFile } from './service-fingerprint';

const attributes = z.strictObject({ dir: z.string(), ports: z.array(z.number()), level: z.string(), extraArg: z.string() });
type Attrs = z.infer<typeof attributes>;

/** Two echo services; `level` is in the env of the first only, `extraArg` on the second's command line. */
const cookbook: Cookbook = {
  name: 'fp',
  version: '0.1.0',
  attributes,
  recipes: {
    default: (r) => {
      const { dir, ports, level, extraArg } = r.node.fp as Attrs;
      const first = echoService(dir, 'fp-one', ports[0]!);
      r.service('fp-one', { ...first, env: { LOG_LEVEL: level, UNCHANGED: 'same' } });
      const second = echoService(dir, 'fp-two', ports[1]!);
      r.service('fp-two', { ...second, command: [...second.command, extraArg] });
    },
  },
};

/** The value of one variable in a live process's environment, read from /proc (what it really runs with). */
function envOf(pid: number, name: string): string | undefined {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return entries.find((entry) => entry.startsWith(`${name}=`))?.slice(name.length + 1);
}

describe('service fingerprint', () => {
  const dir = tempDir();
  const pidFile = (name: string) => join(dir, `${name}.pid`);
  let ports: number[] = [];
  beforeAll(async () => {
    ports = [await freePort(), await freePort()];
  });
  afterAll(async () => {
    await killPidFiles(pidFile('fp-one'), pidFile('fp-two'));
    await rm(dir, { recursive: true, force: true });
  });
  const role = (level: string, extraArg = 'a') => testRole(['fp'], { fp: { dir, ports, level, extraArg } });
  const pids = async () => [await readPid(pidFile('fp-one')), await readPid(pidFile('fp-two'))];
  const changed = (result: Awaited<ReturnType<typeof convergeTest>>) => result.report?.resources.filter((e) => e.status === 'changed').map((e) => `${e.id}: ${e.changes.join('; ')}`);

  test('an unchanged converge keeps both processes', async () => {
    expect((await convergeTest([cookbook], role('info'))).code).toBe(0);
    const before = await pids();
    const again = await convergeTest([cookbook], role('info'));
    expect(changed(again)).toEqual([]);
    expect(await pids()).toEqual(before);
    // Only hashes are kept, readable by root alone: env values may be secrets.
    const recorded = readFileSync(fingerprintFile(pidFile('fp-one')), 'utf8');
    expect(recorded).not.toContain('info');
    expect(recorded).toContain('"LOG_LEVEL"');
  });

  test('a changed env variable restarts that service alone, and the new process has the new value', async () => {
    const [one, two] = await pids();
    const result = await convergeTest([cookbook], role('debug'));
    expect(result.code).toBe(0);
    expect(changed(result)).toEqual([`service[fp-one]: restart service[fp-one] (pid ${one}): env LOG_LEVEL changed since it started`]);
    const [newOne, newTwo] = await pids();
    expect(newOne).not.toBe(one);
    expect(newTwo).toBe(two);
    expect(envOf(newOne!, 'LOG_LEVEL')).toBe('debug');
    expect(changed(await convergeTest([cookbook], role('debug')))).toEqual([]);
  });

  test('a changed command restarts that service alone; why-run says so first and restarts nothing', async () => {
    const [one, two] = await pids();
    const whyRun = await convergeTest([cookbook], role('debug', 'b'), { whyRun: true });
    expect(whyRun.report?.resources.filter((e) => e.status === 'would-change').map((e) => e.changes)).toEqual([[`would restart service[fp-two] (pid ${two}): command changed since it started`]]);
    expect(await pids()).toEqual([one, two]);
    const result = await convergeTest([cookbook], role('debug', 'b'));
    expect(changed(result)).toEqual([`service[fp-two]: restart service[fp-two] (pid ${two}): command changed since it started`]);
    const [newOne, newTwo] = await pids();
    expect(newOne).toBe(one);
    expect(newTwo).not.toBe(two);
    expect(readFileSync(`/proc/${newTwo}/cmdline`, 'utf8').split('\0')).toContain('b');
  });

  test('a process without a record (started before fingerprints) is adopted, not restarted', async () => {
    const before = await pids();
    await rm(fingerprintFile(pidFile('fp-one')));
    const result = await convergeTest([cookbook], role('debug', 'b'));
    expect(changed(result)).toEqual([`service[fp-one]: record what service[fp-one] (pid ${before[0]}) runs with (no record of its start)`]);
    expect(await pids()).toEqual(before);
    expect(changed(await convergeTest([cookbook], role('debug', 'b')))).toEqual([]);
  });
});
