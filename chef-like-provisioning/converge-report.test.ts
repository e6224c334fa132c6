/**
 * A converge against real processes and files: a first converge starts a service once (no restart
 * for config written before the start), the report shows diffs with secrets masked, times per
 * resource in --json, and says what a slow service is waiting for.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Cookbook } from './api';
import { isAlive, readPid, waitUntil } from './providers/process-state';
import type { ResourceReport } from './runner';
import { MASK } from './secret-mask';
import { convergeTest, echoService, freePort, killPidFiles, startsLogged, tempDir, testRole } from './test-kit';

type Attrs = { dir: string; port: number; version: number };

const cookbook: Cookbook = {
  name: 'cr',
  version: '0.1.0',
  attributes: z.object({ dir: z.string(), port: z.number(), version: z.number() }),
  recipes: {
    // The usual order: the configuration, then the service it configures.
    'config-first': (r) => {
      const { dir, port, version } = r.node.cr as Attrs;
      r.template(join(dir, 'echo.conf'), {
        source: (node) => `version ${(node.cr as Attrs).version}\nrequirepass hunter${version}\n`,
        notifies: [{ resource: 'service[cr-echo]', action: 'restart', timing: 'delayed' }],
      });
      r.file(join(dir, 'users'), { content: `alice:{PLAIN}pw${version}\n`, sensitive: true });
      r.service('cr-echo', echoService(dir, 'cr-echo', port));
    },
    // The service before its configuration: a start on the first converge reads no config, so the restart must still come.
    'service-first': (r) => {
      const { dir, port, version } = r.node.cr as Attrs;
      r.service('cr-late', echoService(dir, 'cr-late', port));
      r.file(join(dir, 'late.conf'), { content: `version ${version}\n`, notifies: [{ resource: 'service[cr-late]', action: 'restart', timing: 'delayed' }] });
    },
    slow: (r) => {
      const { dir, port } = r.node.cr as Attrs;
      r.service('cr-slow', echoService(dir, 'cr-slow', port, 2000));
    },
  },
};

const summaryOf = (entries: ResourceReport[] = []) => entries.map((e) => `${e.id} ${e.status}${e.notifiedBy ? ` (${e.action} by ${e.notifiedBy})` : ''}`);

describe('converge report and restarts', () => {
  const dir = tempDir();
  const pidFiles = ['cr-echo', 'cr-late', 'cr-slow'].map((name) => join(dir, `${name}.pid`));
  afterAll(async () => {
    await killPidFiles(...pidFiles);
    await rm(dir, { recursive: true, force: true });
  });

  test('a first converge starts the service once and does not restart it for the config it started with; a later config change restarts it once', async () => {
    const port = await freePort();
    const role = (version: number) => testRole(['cr::config-first'], { cr: { dir, port, version } });
    const conf = `template[${dir}/echo.conf]`;
    const users = `file[${dir}/users]`;

    const first = await convergeTest([cookbook], role(1));
    expect(first.code).toBe(0);
    expect(summaryOf(first.report?.resources)).toEqual([
      `${conf} changed`,
      `${users} changed`,
      'service[cr-echo] changed',
      'service[cr-echo] up-to-date (restart by delayed notification)',
    ]);
    expect(first.report?.resources[2]?.changes).toEqual(['start service[cr-echo]']);
    expect(first.report?.resources[3]?.note).toBe('not needed: this run started it after the change that notified it');
    const pid = await readPid(pidFiles[0] as string);
    expect(await startsLogged(dir, 'cr-echo', pid)).toBe(1);

    const second = await convergeTest([cookbook], role(1));
    expect(summaryOf(second.report?.resources)).toEqual([`${conf} up-to-date`, `${users} up-to-date`, 'service[cr-echo] up-to-date']);
    expect(await readPid(pidFiles[0] as string)).toBe(pid);

    const third = await convergeTest([cookbook], role(2));
    expect(summaryOf(third.report?.resources)).toEqual([
      `${conf} changed`,
      `${users} changed`,
      'service[cr-echo] up-to-date',
      'service[cr-echo] changed (restart by delayed notification)',
    ]);
    expect(third.report?.resources[3]?.changes).toEqual([`restart service[cr-echo] (pid ${pid})`]);
    const restarted = await readPid(pidFiles[0] as string);
    expect(restarted).not.toBe(pid);
    expect(await startsLogged(dir, 'cr-echo', restarted)).toBe(2);

    // The text report: the template's diff with the secret masked, the sensitive file's content not shown.
    expect(third.out).toContain(
      [`    --- ${dir}/echo.conf`, `    +++ ${dir}/echo.conf (new)`, '    @@ -1,2 +1,2 @@', '    -version 1', `    -requirepass ${MASK}`, '    +version 2', `    +requirepass ${MASK}`].join('\n'),
    );
    expect(third.out).toContain(`    (content of ${dir}/users not shown: the resource is marked sensitive)`);
    expect(third.out).not.toMatch(/hunter|pw\d/);
    expect(third.out).toMatch(/service\[cr-echo\] \(restart, notified by delayed notification\) changed: restart service\[cr-echo\] \(pid \d+\) \(\d+\.\d\d s\)\n/);
  });

  test('a restart notified after this run started the service still runs (the start read no config)', async () => {
    const port = await freePort();
    const first = await convergeTest([cookbook], testRole(['cr::service-first'], { cr: { dir, port, version: 1 } }));
    expect(summaryOf(first.report?.resources)).toEqual(['service[cr-late] changed', `file[${dir}/late.conf] changed`, 'service[cr-late] changed (restart by delayed notification)']);
    const pid = await readPid(pidFiles[1] as string);
    expect(await startsLogged(dir, 'cr-late', pid)).toBe(2);
  });

  test('--json carries each resource with its time and diff; why-run shows the same diff and changes nothing', async () => {
    const port = await freePort();
    const role = (version: number) => testRole(['cr::config-first'], { cr: { dir: join(dir, 'json'), port, version } });
    await mkdir(join(dir, 'json'));
    pidFiles.push(join(dir, 'json', 'cr-echo.pid'));
    const first = await convergeTest([cookbook], role(1), { json: true });
    const doc = JSON.parse(first.out) as { resources: ResourceReport[] };
    expect(doc.resources).toHaveLength(4);
    for (const entry of doc.resources) expect(typeof entry.seconds).toBe('number');
    // The start waited for the port to accept: it took time, the skipped restart none.
    expect(doc.resources[2]?.seconds).toBeGreaterThan(0);
    expect(doc.resources[3]?.seconds).toBe(0);
    expect(doc.resources[0]?.diff).toEqual([`--- ${dir}/json/echo.conf`, `+++ ${dir}/json/echo.conf (new)`, '@@ -0,0 +1,2 @@', '+version 1', `+requirepass ${MASK}`]);

    const whyRun = await convergeTest([cookbook], role(2), { json: true, whyRun: true });
    const planned = JSON.parse(whyRun.out) as { resources: ResourceReport[] };
    expect(planned.resources[0]?.status).toBe('would-change');
    expect(planned.resources[0]?.diff).toEqual([`--- ${dir}/json/echo.conf`, `+++ ${dir}/json/echo.conf (new)`, '@@ -1,2 +1,2 @@', '-version 1', `-requirepass ${MASK}`, '+version 2', `+requirepass ${MASK}`]);
    expect(planned.resources[1]?.diff).toEqual([`(content of ${dir}/json/users not shown: the resource is marked sensitive)`]);
    expect(whyRun.out).not.toMatch(/hunter|pw\d/);
    expect(readFileSync(join(dir, 'json', 'echo.conf'), 'utf8')).toBe('version 1\nrequirepass hunter1\n');
  });

  test('a service slow to answer is reported while it is waited for: a line without a terminal, on stderr with --json', async () => {
    const role = (port: number) => testRole(['cr::slow'], { cr: { dir, port, version: 1 } });
    const port = await freePort();
    const plain = await convergeTest([cookbook], role(port));
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(new RegExp(`^waiting for service\\[cr-slow\\] to answer on ${port} … \\d+ s\\nservice\\[cr-slow\\] changed: start service\\[cr-slow\\]`));
    const killed = await readPid(pidFiles[2] as string);
    await killPidFiles(pidFiles[2] as string);
    expect(await waitUntil(() => killed !== null && !isAlive(killed), 5000)).toBe(true);
    // Another port: the killed one may still hold its own for a moment.
    const other = await freePort();
    const json = await convergeTest([cookbook], role(other), { json: true });
    expect(JSON.parse(json.out).resources[0].status).toBe('changed');
    expect(json.err).toMatch(new RegExp(`^waiting for service\\[cr-slow\\] to answer on ${other} … \\d+ s\\n`));
  });
});
