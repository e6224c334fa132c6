/** service against the real machine: stop, reload, a daemonizing command, and a start that never gets ready. */
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ServiceProps } from '../api';
import { echoService, freePort, killPidFiles, providerContext, tempDir } from '../test-kit';
import { isAlive, readPid } from './process-state';
import { serviceProvider } from './service';

const context = providerContext();
const dir = tempDir();
const pidFiles: string[] = [];

async function converge(name: string, props: ServiceProps, action: string): Promise<string[]> {
  pidFiles.push(props.pidFile);
  const changes = await serviceProvider.plan({ kind: 'service', name, props, declaredIn: 'test::service' }, action, context);
  for (const change of changes) await change.apply();
  return changes.map((c) => c.description);
}

afterAll(async () => {
  await killPidFiles(...pidFiles);
  await rm(dir, { recursive: true, force: true });
});

test('start, reload (a signal the server logs), stop, and a stopped service stays stopped', async () => {
  const props = echoService(dir, 'svc', await freePort());
  props.command = [process.execPath, '-e', `process.on('SIGHUP', () => console.log('reloaded')); ${props.command[2]}`];
  expect(await converge('svc', props, 'start')).toEqual(['start service[svc]']);
  const pid = (await readPid(props.pidFile))!;
  expect(await converge('svc', props, 'reload')).toEqual([`reload service[svc] (SIGHUP to pid ${pid})`]);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(readFileSync(props.logFile!, 'utf8')).toContain('reloaded');
  expect(await converge('svc', props, 'stop')).toEqual([`stop service[svc] (pid ${pid})`]);
  expect(isAlive(pid)).toBe(false);
  expect(existsSync(props.pidFile)).toBe(false);
  expect(await converge('svc', props, 'stop')).toEqual([]);
});

test('a daemonizing command: waits for its exit and its pid file', async () => {
  const port = await freePort();
  const pidFile = join(dir, 'daemon.pid');
  // A shell that backgrounds the server and writes its pid, as `redis-server --daemonize yes` does.
  const server = `require('net').createServer((s) => s.on('error', () => {}).end()).listen(${port}, '127.0.0.1')`;
  const script = `"${process.execPath}" -e "${server}" >/dev/null 2>&1 & echo $! > ${pidFile}`;
  const props: ServiceProps = { command: ['sh', '-c', script], daemonizes: true, pidFile, ready: { port } };
  expect(await converge('daemon', props, 'start')).toEqual(['start service[daemon]']);
  expect(await converge('daemon', props, 'start')).toEqual([]);
  const pid = await readPid(pidFile);
  expect(await converge('daemon', props, 'restart')).toEqual([`restart service[daemon] (pid ${pid})`]);
  expect(await readPid(pidFile)).not.toBe(pid);
});

test('a service that never gets ready fails with the last lines of its log; one that exits, at once', async () => {
  const port = await freePort();
  const never: ServiceProps = { command: ['sh', '-c', 'echo warming up; sleep 30'], pidFile: join(dir, 'never.pid'), logFile: join(dir, 'never.log'), ready: { port }, readyTimeoutMs: 500 };
  await expect(converge('never', never, 'start')).rejects.toThrow(`\`sh -c echo warming up; sleep 30\` not ready (127.0.0.1:${port} accepting connections) within 500 ms; last lines of ${dir}/never.log:\nwarming up`);
  const dies: ServiceProps = { ...never, command: ['sh', '-c', 'echo bad config; exit 1'], pidFile: join(dir, 'dies.pid'), logFile: join(dir, 'dies.log'), readyTimeoutMs: 10_000 };
  const started = Date.now();
  await expect(converge('dies', dies, 'start')).rejects.toThrow(/exited during start \(pid \d+\); last lines of .*dies\.log:\nbad config/);
  // At once: well before the 10 s readiness timeout it would otherwise wait out.
  expect(Date.now() - started).toBeLessThan(5000);
});

test('a port held by a process the resource did not start fails the plan, so why-run fails where the start would', async () => {
  const port = await freePort();
  const holder = createServer().listen(port, '127.0.0.1');
  await new Promise((resolve) => holder.once('listening', resolve));
  try {
    const props = echoService(dir, 'taken', port);
    const plan = serviceProvider.plan({ kind: 'service', name: 'taken', props, declaredIn: 'test::service' }, 'start', context);
    await expect(plan).rejects.toThrow(`port ${port} is already in use by a process this resource did not start (no live pid in ${props.pidFile})`);
  } finally {
    holder.close();
  }
});
