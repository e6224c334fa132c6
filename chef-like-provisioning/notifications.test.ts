/** Notifications against the real machine: delayed ones deduplicated to one restart, immediate ones in place. */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Cookbook } from './api';
import { readPid } from './providers/process-state';
import { convergeTest, echoService, freePort, killPidFiles, startsLogged, tempDir, testRole } from './test-kit';

type Attrs = { dir: string; port: number; version: number };

const cookbook: Cookbook = {
  name: 'nt',
  version: '0.1.0',
  attributes: z.object({ dir: z.string(), port: z.number(), version: z.number() }),
  recipes: {
    delayed: (r) => {
      const { dir, port, version } = r.node.nt as Attrs;
      const restart = [{ resource: 'service[nt-echo]', action: 'restart', timing: 'delayed' as const }];
      r.service('nt-echo', echoService(dir, 'nt-echo', port));
      r.file(join(dir, 'a.conf'), { content: `a ${version}\n`, notifies: restart });
      r.file(join(dir, 'b.conf'), { content: `b ${version}\n`, notifies: restart });
      r.file(join(dir, 'c.conf'), { content: 'c\n' });
    },
    immediate: (r) => {
      const { dir, version } = r.node.nt as Attrs;
      const log = join(dir, 'order.log');
      r.file(join(dir, 'trigger'), { content: `${version}\n`, notifies: [{ resource: 'execute[on-trigger]', action: 'run', timing: 'immediately' }] });
      r.execute('on-trigger', { action: 'nothing', command: ['sh', '-c', `echo notified >> ${log}`] });
      r.execute('next', { command: ['sh', '-c', `echo next >> ${log}`] });
    },
  },
};

describe('notifications', () => {
  const dir = tempDir();
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
  });
  afterAll(async () => {
    await killPidFiles(join(dir, 'nt-echo.pid'));
    await rm(dir, { recursive: true, force: true });
  });
  const role = (version: number) => testRole(['nt::delayed'], { nt: { dir, port, version } });

  test('two changed files notifying one restart (delayed) restart the service exactly once, at the end', async () => {
    const first = await convergeTest([cookbook], role(1));
    expect(first.code).toBe(0);
    const pidBefore = await readPid(join(dir, 'nt-echo.pid'));
    const startsBefore = await startsLogged(dir, 'nt-echo', pidBefore);

    const second = await convergeTest([cookbook], role(2));
    expect(second.code).toBe(0);
    const entries = second.report?.resources ?? [];
    expect(entries.map((e) => `${e.id} ${e.status}${e.notifiedBy ? ` by ${e.notifiedBy}` : ''}`)).toEqual([
      'service[nt-echo] up-to-date',
      `file[${dir}/a.conf] changed`,
      `file[${dir}/b.conf] changed`,
      `file[${dir}/c.conf] up-to-date`,
      'service[nt-echo] changed by delayed notification',
    ]);
    expect(entries[4]?.changes).toEqual([`restart service[nt-echo] (pid ${pidBefore})`]);
    const pidAfter = await readPid(join(dir, 'nt-echo.pid'));
    expect(pidAfter).not.toBe(pidBefore);
    expect(await startsLogged(dir, 'nt-echo', pidAfter)).toBe(startsBefore + 1);

    const third = await convergeTest([cookbook], role(2));
    expect(third.report?.resources.map((e) => e.status)).toEqual(Array(4).fill('up-to-date'));
    expect(await readPid(join(dir, 'nt-echo.pid'))).toBe(pidAfter);
  });

  test('why-run says what it would notify, and counts the restart the run would do (once), doing none', async () => {
    const pid = await readPid(join(dir, 'nt-echo.pid'));
    const result = await convergeTest([cookbook], role(3), { whyRun: true });
    expect(result.out).toContain(`file[${dir}/a.conf] would change: would write ${dir}/a.conf (mode 0644, 1 lines changed); would notify service[nt-echo] to restart (delayed)`);
    expect(result.report?.resources).toHaveLength(5);
    expect(result.report?.resources[4]).toMatchObject({ id: 'service[nt-echo]', status: 'would-change', notifiedBy: 'delayed notification', changes: [`would restart service[nt-echo] (pid ${pid})`] });
    expect(readFileSync(join(dir, 'a.conf'), 'utf8')).toBe('a 2\n');
    expect(await readPid(join(dir, 'nt-echo.pid'))).toBe(pid);
  });

  test('an immediate notification runs before the next resource; an action-nothing execute runs only when notified', async () => {
    const immediate = (version: number) => testRole(['nt::immediate'], { nt: { dir, port, version } });
    const first = await convergeTest([cookbook], immediate(1));
    expect(first.report?.resources.map((e) => `${e.id} ${e.status}`)).toEqual([
      `file[${dir}/trigger] changed`,
      'execute[on-trigger] changed',
      'execute[on-trigger] up-to-date',
      'execute[next] changed',
    ]);
    expect(first.report?.resources[1]?.notifiedBy).toBe(`file[${dir}/trigger]`);
    const again = await convergeTest([cookbook], immediate(1));
    expect(again.report?.resources.map((e) => e.id)).toEqual([`file[${dir}/trigger]`, 'execute[on-trigger]', 'execute[next]']);
    expect(readFileSync(join(dir, 'order.log'), 'utf8')).toBe('notified\nnext\nnext\n');
  });
});
