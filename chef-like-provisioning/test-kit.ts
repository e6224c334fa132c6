/** Helpers the provisioning tests share: temp dirs, free ports, a tiny TCP service, snapshots, a converge wrapper. */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes, Cookbook, ProviderContext, Role, ServiceProps } from './api';
import { type ConvergeOptions, type ConvergeResult, converge } from './cli';
import { isAlive, readPid, waitUntil } from './providers/process-state';

/** A fresh directory under the OS temp dir. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'trib-provision-'));
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Props of a service that is a tiny node TCP server, logging "started PID" on each start; with
 * `listenAfterMs`, it listens (is ready) only that long after it started, like a slow daemon.
 */
export function echoService(dir: string, name: string, port: number, listenAfterMs = 0): ServiceProps {
  // The error handler matters: a readiness probe hangs up at once, and an unhandled EPIPE would kill the server.
  // "started PID" is written (synchronously: stdout is a file) before the port can accept, so a
  // converge that saw the service ready always finds its line in the log; written in the listen
  // callback, it could land after the converge returned and show up in a later snapshot.
  const listen = `console.log('started', process.pid); require('net').createServer((s) => s.on('error', () => {}).end('hi')).listen(${port}, '127.0.0.1')`;
  const script = listenAfterMs > 0 ? `setTimeout(() => { ${listen} }, ${listenAfterMs})` : listen;
  return { command: [process.execPath, '-e', script], pidFile: join(dir, `${name}.pid`), logFile: join(dir, `${name}.log`), ready: { port }, readyTimeoutMs: 5000 };
}

/**
 * How many times the echo service's log says it started, once the log shows the start of `pid`.
 * The service is ready when its port accepts, which the kernel does before the server's callback
 * writes "started PID": reading the log right after a converge could miss the last start.
 */
export async function startsLogged(dir: string, name: string, pid: number | null): Promise<number> {
  const lines = () => {
    try {
      return readFileSync(join(dir, `${name}.log`), 'utf8').split('\n').filter((line) => line.startsWith('started'));
    } catch {
      return [];
    }
  };
  await waitUntil(() => lines().includes(`started ${pid}`), 5000);
  return lines().length;
}

/** Kills the process of every pid file given (afterAll: nothing we started outlives the tests). */
export async function killPidFiles(...pidFiles: string[]): Promise<void> {
  for (const file of pidFiles) {
    const pid = await readPid(file);
    if (pid === null || !isAlive(pid)) continue;
    try {
      process.kill(-pid, 'SIGKILL'); // detached services lead their own process group: take their children too
    } catch {
      process.kill(pid, 'SIGKILL');
    }
  }
}

/** A role named after the test. */
export function testRole(runList: string[], defaultAttributes: Attributes = {}): Role {
  return { name: 'provision-test', description: 'test', runList, defaultAttributes };
}

/** Collects output as text. */
export function collector(isTTY = false): { write(text: string): boolean; isTTY: boolean; text: string } {
  return {
    isTTY,
    text: '',
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

/** Converges a test role with test cookbooks, capturing what it prints. */
export async function convergeTest(
  cookbooks: Cookbook[],
  role: Role,
  options: Partial<ConvergeOptions> = {},
): Promise<ConvergeResult & { out: string; err: string }> {
  const out = collector();
  const err = collector();
  const result = await converge({ role: role.name, source: { cookbooks, roles: [role] }, stdout: out, stderr: err, ...options });
  return { ...result, out: out.text, err: err.text };
}

/** Every path under `dir` with its mode and (for files) content, for before/after comparisons. */
export function snapshotDir(dir: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const walk = (path: string) => {
    const stats = lstatSync(path);
    snapshot[path] = `${(stats.mode & 0o7777).toString(8)} ${stats.uid}:${stats.gid} ${stats.isFile() ? readFileSync(path, 'utf8') : stats.isDirectory() ? 'dir' : 'other'}`;
    if (stats.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(dir);
  return snapshot;
}

/**
 * The processes that could be ours: children of this test process, or any whose argv mentions one of
 * `marks` (a temp dir, a port). The whole table is not compared, as other work on the machine
 * (kernel threads renaming, other test runs) changes it at any time.
 */
export function processTable(...marks: string[]): string[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, ppid, stat = 'Z', ...args]) => {
      // Zombies of earlier tests in this worker are reaped at any moment; ps is the reader itself.
      if (pid === undefined || stat.startsWith('Z') || args.join(' ').startsWith('ps -eo')) return false;
      return ppid === String(process.pid) || marks.some((m) => args.join(' ').includes(m));
    })
    .map(([pid, , , ...args]) => `${pid} ${args.join(' ')}`)
    .sort();
}

/** A ProviderContext for calling a provider directly: no log, `once` runs every time. */
export function providerContext(node: Attributes = {}): ProviderContext {
  return { log: () => undefined, node, once: (_key, action) => action() };
}
