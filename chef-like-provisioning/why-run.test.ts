/** Why-run against the real machine: it lists exactly what the following run changes, and fails where that run fails. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Cookbook } from './api';
import { portAccepts, readPid } from './providers/process-state';
import type { RunReport } from './runner';
import { convergeTest, echoService, freePort, killPidFiles, snapshotDir, tempDir, testRole } from './test-kit';

// `motd` is read by the template alone: changing it changes the config but not the service's env.
const attributes = z.strictObject({ dir: z.string(), port: z.number(), greeting: z.string(), motd: z.string().default('') });
type Attrs = z.infer<typeof attributes>;

/** Files, a template and an env both tied to a service, an immediate and a delayed notification, guards. */
const cookbook: Cookbook = {
  name: 'wr',
  version: '0.1.0',
  attributes,
  recipes: {
    default: (r) => {
      const { dir, port, greeting } = r.node.wr as Attrs;
      r.aptPackage('coreutils');
      r.directory(join(dir, 'etc'));
      r.template(join(dir, 'etc/app.conf'), {
        source: (node) => `greeting=${(node.wr as Attrs).greeting}\nmotd=${(node.wr as Attrs).motd}\n`,
        notifies: [{ resource: 'service[wr-echo]', action: 'restart', timing: 'delayed' }],
      });
      r.file(join(dir, 'etc/trigger'), { content: `${greeting}\n`, notifies: [{ resource: 'execute[on-trigger]', action: 'run', timing: 'immediately' }] });
      r.execute('on-trigger', { action: 'nothing', command: ['sh', '-c', `echo notified >> ${join(dir, 'notified.log')}`] });
      r.execute('marker', { command: ['touch', 'marker'], cwd: dir, creates: 'marker' });
      r.service('wr-echo', { ...echoService(dir, 'wr-echo', port), env: { GREETING: greeting } });
    },
    missing: (r) => {
      const { dir } = r.node.wr as Attrs;
      r.file(join(dir, 'before.txt'), { content: 'before\n' });
      r.aptPackage('trib-test-no-such-package');
      r.file(join(dir, 'after.txt'), { content: 'after\n' });
    },
  },
};

/** What a run changed (or would change), in order: id, action, and who notified it. */
const changes = (report: RunReport | undefined) =>
  (report?.resources ?? []).filter((e) => e.status === 'changed' || e.status === 'would-change').map((e) => `${e.id} ${e.action}${e.notifiedBy ? ` (by ${e.notifiedBy})` : ''}`);

describe('why-run', () => {
  const dir = tempDir();
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
  });
  afterAll(async () => {
    await killPidFiles(join(dir, 'wr-echo.pid'));
    await rm(dir, { recursive: true, force: true });
  });
  const role = (greeting: string, runList = ['wr'], motd = '') => testRole(runList, { wr: { dir, port, greeting, motd } });

  /** Why-run, checks it changed nothing, then the real run; returns both. */
  async function whyRunThenRun(greeting: string, motd = ''): Promise<{ predicted: string[]; done: string[] }> {
    const files = snapshotDir(dir);
    // The service is the one process this role runs: why-run must neither start nor restart it.
    // (Not the whole process table: other suites' processes in this worker may exit meanwhile.)
    const service = async () => ({ pid: await readPid(join(dir, 'wr-echo.pid')), listening: await portAccepts(port) });
    const before = await service();
    const whyRun = await convergeTest([cookbook], role(greeting, ['wr'], motd), { whyRun: true });
    expect(whyRun.code).toBe(0);
    expect(snapshotDir(dir)).toEqual(files);
    expect(await service()).toEqual(before);
    const run = await convergeTest([cookbook], role(greeting, ['wr'], motd));
    expect(run.code).toBe(0);
    console.log(`greeting=${greeting}: why-run ${whyRun.err.trim() || whyRun.out.trim().split('\n').at(-1)}; run ${run.out.trim().split('\n').at(-1)}`);
    return { predicted: changes(whyRun.report), done: changes(run.report) };
  }

  test('on a fresh machine, after an attribute change, and when nothing changed, why-run lists what the run then changes', async () => {
    const fresh = await whyRunThenRun('hello');
    expect(fresh.done).toEqual(fresh.predicted);
    // Not vacuous: the fresh run notifies both ways and starts the service — once: the start came
    // after the config was written, so the config's delayed restart is not needed (ADR 013).
    expect(fresh.done).toEqual([
      `directory[${dir}/etc] create`,
      `template[${dir}/etc/app.conf] create`,
      `file[${dir}/etc/trigger] create`,
      `execute[on-trigger] run (by file[${dir}/etc/trigger])`,
      'execute[marker] run',
      'service[wr-echo] start',
    ]);

    const changed = await whyRunThenRun('bonjour');
    expect(changed.done).toEqual(changed.predicted);
    expect(changed.done).toEqual([
      `template[${dir}/etc/app.conf] create`,
      `file[${dir}/etc/trigger] create`,
      `execute[on-trigger] run (by file[${dir}/etc/trigger])`,
      'service[wr-echo] start',
    ]);

    // The config alone changed: the running service is restarted by the template's notification.
    const configOnly = await whyRunThenRun('bonjour', 'welcome');
    expect(configOnly.done).toEqual(configOnly.predicted);
    expect(configOnly.done).toEqual([`template[${dir}/etc/app.conf] create`, 'service[wr-echo] restart (by delayed notification)']);

    const unchanged = await whyRunThenRun('bonjour', 'welcome');
    expect(unchanged).toEqual({ predicted: [], done: [] });
  });

  test('a package apt does not know fails why-run at that resource, as it fails the run', async () => {
    const whyRun = await convergeTest([cookbook], role('bonjour', ['wr::missing']), { whyRun: true });
    const run = await convergeTest([cookbook], role('bonjour', ['wr::missing']));
    for (const result of [whyRun, run]) {
      expect(result.code).toBe(1);
      expect(result.report?.resources.map((e) => `${e.id} ${e.status}`)).toEqual([
        `file[${dir}/before.txt] ${result === whyRun ? 'would-change' : 'changed'}`,
        'apt_package[trib-test-no-such-package] failed',
        `file[${dir}/after.txt] skipped`,
      ]);
      expect(result.report?.resources[1]?.error).toMatch(/^apt_package\[trib-test-no-such-package\] \(wr::missing\) failed: package trib-test-no-such-package is not known to apt/);
    }
    expect(whyRun.out).toMatch(/why-run of role provision-test: would change 1, 0 up to date, 1 failed, 1 skipped/);
  });
});
