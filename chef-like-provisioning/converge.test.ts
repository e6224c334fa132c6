/** Converging against the real machine: idempotence, speed, why-run changing nothing, a failure stopping the run. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Cookbook } from './api';
import { convergeTest, echoService, freePort, killPidFiles, processTable, snapshotDir, tempDir, testRole } from './test-kit';

const attributes = z.object({ dir: z.string(), port: z.number().int(), greeting: z.string().default('hello') });
type TestAttributes = z.infer<typeof attributes>;

/** About fifteen resources of every kind but user/group, like a small real role. */
const cookbook: Cookbook = {
  name: 'tk',
  version: '0.1.0',
  attributes,
  recipes: {
    default: (r) => {
      r.includeRecipe('tk::packages');
      const { dir, port } = r.node.tk as TestAttributes;
      r.directory(join(dir, 'etc/deep'), { mode: 0o750 });
      r.file(join(dir, 'etc/plain.txt'), { content: 'plain\n', mode: 0o600 });
      r.template(join(dir, 'etc/app.conf'), {
        source: (node, vars) => `greeting=${(node.tk as TestAttributes).greeting}\nname=${vars.name}\n`,
        variables: { name: 'tk' },
        notifies: [{ resource: 'service[tk-echo]', action: 'restart', timing: 'delayed' }],
      });
      for (const n of [1, 2, 3]) r.file(join(dir, `etc/extra-${n}.txt`), { content: `${n}\n` });
      r.execute('marker', { command: ['touch', 'marker'], cwd: dir, creates: 'marker' });
      r.execute('guarded', { command: ['touch', join(dir, 'never')], onlyIf: ['false'] });
      r.execute('unless', { command: ['touch', join(dir, 'never')], notIf: ['test', '-d', dir] });
      r.service('tk-echo', echoService(dir, 'tk-echo', port));
      r.includeRecipe('tk::packages'); // a second include is a no-op
    },
    packages: (r) => {
      for (const name of ['coreutils', 'bash', 'tar', 'grep']) r.aptPackage(name);
    },
  },
};

const failing: Cookbook = {
  name: 'bad',
  version: '0.1.0',
  attributes: z.object({ dir: z.string() }),
  recipes: {
    default: (r) => {
      const { dir } = r.node.bad as { dir: string };
      r.file(join(dir, 'before.txt'), { content: 'before\n' });
      r.execute('explode', { command: ['sh', '-c', 'echo first line >&2; echo it broke >&2; exit 3'] });
      r.file(join(dir, 'after.txt'), { content: 'after\n' });
    },
  },
};

describe('converge', () => {
  const dir = tempDir();
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
  });
  afterAll(async () => {
    await killPidFiles(join(dir, 'tk-echo.pid'));
    await rm(dir, { recursive: true, force: true });
  });
  const role = () => testRole(['tk'], { tk: { dir, port } });

  test('why-run on a fresh machine lists every change and changes nothing: files, modes, processes', async () => {
    const files = snapshotDir(dir);
    const processes = processTable(dir, String(port));
    const result = await convergeTest([cookbook], role(), { whyRun: true, json: true });
    expect(snapshotDir(dir)).toEqual(files);
    expect(processTable(dir, String(port))).toEqual(processes);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.out);
    expect(doc.whyRun).toBe(true);
    // The first entry of an id is its own converge; a notified action comes later under the same id.
    const byId = Object.fromEntries(doc.resources.toReversed().map((e: { id: string }) => [e.id, e]));
    expect(byId['service[tk-echo]']).toMatchObject({ status: 'would-change', changes: ['would start service[tk-echo]'] });
    // As in the run: the start it would make comes after the template, so the restart is not needed.
    expect(doc.resources.filter((e: { id: string }) => e.id === 'service[tk-echo]').map((e: { action: string; status: string }) => `${e.action} ${e.status}`)).toEqual(['start would-change', 'restart up-to-date']);
    expect(byId[`template[${dir}/etc/app.conf]`].changes).toEqual([
      expect.stringMatching(/^would create .*app\.conf \(mode 0644, 2 lines\)$/),
      'would notify service[tk-echo] to restart (delayed)',
    ]);
    expect(byId['execute[marker]'].changes).toEqual(['would run `touch marker`']);
    expect(byId['execute[guarded]'].status).toBe('up-to-date');
    expect(byId['apt_package[coreutils]'].status).toBe('up-to-date');
    expect(result.err).toMatch(/^why-run of role provision-test: would change 8, 7 up to date, 0 failed in [\d.]+ s\n$/);
  });

  test('the first converge changes, the second is all up to date', async () => {
    const first = await convergeTest([cookbook], role());
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/service\[tk-echo\] changed: start service\[tk-echo\]/);
    // The template that notified the restart was written before the start: starting read it already.
    expect(first.out).toContain('service[tk-echo] (restart, notified by delayed notification) up to date (not needed: this run started it after the change that notified it)');
    expect(first.out).toMatch(/converged role provision-test: 8 changed, 7 up to date, 0 failed/);
    expect(readFileSync(join(dir, 'etc/app.conf'), 'utf8')).toBe('greeting=hello\nname=tk\n');
    expect(statSync(join(dir, 'etc/plain.txt')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'etc/deep')).mode & 0o777).toBe(0o750);
    expect(existsSync(join(dir, 'marker'))).toBe(true);
    expect(existsSync(join(dir, 'never'))).toBe(false);

    const second = await convergeTest([cookbook], role());
    expect(second.code).toBe(0);
    expect(second.report?.resources.every((e) => e.status === 'up-to-date')).toBe(true);
    expect(second.report?.resources).toHaveLength(14);
    expect(second.out).toMatch(/service\[tk-echo\] up to date/);
    expect(second.out).toMatch(/converged role provision-test: 0 changed, 14 up to date, 0 failed/);
    console.log(`second (up-to-date) converge of 14 resources: ${second.report?.seconds.toFixed(3)} s`);
  });

  test('a drifted file and a dead service are repaired, the rest stays', async () => {
    await rm(join(dir, 'etc/extra-2.txt'));
    await killPidFiles(join(dir, 'tk-echo.pid')); // the pid file stays: a stale one
    await new Promise((resolve) => setTimeout(resolve, 100));
    const result = await convergeTest([cookbook], role());
    expect(result.report?.resources.filter((e) => e.status === 'changed').map((e) => e.changes)).toEqual([
      [`create ${dir}/etc/extra-2.txt (mode 0644, 1 lines)`],
      [expect.stringMatching(/^start service\[tk-echo\] \(stale pid file: pid \d+ is gone\)$/)],
    ]);
  });

  test('a failing resource stops the run, is named, and the report keeps what changed before it', async () => {
    const badDir = tempDir();
    try {
      const result = await convergeTest([failing], testRole(['bad'], { bad: { dir: badDir } }), { json: true });
      expect(result.code).toBe(1);
      const doc = JSON.parse(result.out);
      expect(doc.resources.map((e: { status: string }) => e.status)).toEqual(['changed', 'failed', 'skipped']);
      expect(doc.resources[0].changes).toEqual([`create ${badDir}/before.txt (mode 0644, 1 lines)`]);
      expect(doc.resources[1].error).toBe("execute[explode] (bad::default) failed: `sh -c echo first line >&2; echo it broke >&2; exit 3` exited with code 3:\nfirst line\nit broke");
      expect(existsSync(join(badDir, 'after.txt'))).toBe(false);
      expect(doc.summary).toMatchObject({ changed: 1, upToDate: 0, failed: 1, skipped: 1 });
      expect(result.err).toMatch(/converge of role provision-test FAILED: 1 changed, 0 up to date, 1 failed, 1 skipped/);
    } finally {
      await rm(badDir, { recursive: true, force: true });
    }
  });
});
