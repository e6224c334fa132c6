/** What a service's pid file, process and readiness check say right now, and waiting for them to change. */
import { readdirSync, readFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import type { ProviderContext, Readiness } from '../api';
import { lastLines, succeeds } from './command';

/** The pid in a pid file, or null when there is none (or it holds no number). */
export async function readPid(pidFile: string): Promise<number | null> {
  try {
    const pid = Number.parseInt(await readFile(pidFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The one-letter state of a /proc stat line (R, S, D, Z, X, …). */
function stateOf(statLine: string): string {
  const end = statLine.lastIndexOf(')');
  return statLine.slice(end + 2, end + 3);
}

/**
 * Whether a process exists and has not finished exiting. A zombie counts as dead (PID 1 here is
 * not an init and may never reap an exited daemon, and kill(pid, 0) succeeds on a zombie) — but
 * only once every thread is gone: a multi-threaded process (node, java) shows its main thread as
 * a zombie while the other threads are still exiting, and until the last one has, the process
 * keeps its files, listening sockets included. So every thread of the group is looked at.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists, it is just not ours to signal.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readdirSync(`/proc/${pid}/task`).some((tid) => {
      try {
        const state = stateOf(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
        return state !== 'Z' && state !== 'X';
      } catch {
        return false; // that thread is gone
      }
    });
  } catch {
    return false;
  }
}

/** True when a TCP connect to host:port succeeds within timeoutMs. */
export function portAccepts(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Runs the readiness check once. */
export function isReady(ready: Readiness): Promise<boolean> {
  return 'port' in ready ? portAccepts(ready.port, ready.host) : succeeds(ready.command, { timeoutMs: 5000 });
}

/** "127.0.0.1:6390 accepting connections" / "`redis-cli ping` exiting 0", for messages. */
export function describeReadiness(ready: Readiness): string {
  return 'port' in ready ? `${ready.host ?? '127.0.0.1'}:${ready.port} accepting connections` : `\`${ready.command.join(' ')}\` exiting 0`;
}

/** What a resource waits for, after "waiting for service[x] ": "to answer on 6390", "until `redis-cli ping` exits 0". */
export function describeWait(ready: Readiness): string {
  if ('port' in ready) return `to answer on ${ready.host && ready.host !== '127.0.0.1' ? `${ready.host}:` : ''}${ready.port}`;
  return `until \`${ready.command.join(' ')}\` exits 0`;
}

/** Runs `wait`, letting the run show progress while it lasts when the context can (ProviderContext.waitingFor). */
export function reportedWait<T>(context: ProviderContext, what: string, wait: () => Promise<T>): Promise<T> {
  return context.waitingFor ? context.waitingFor(what, wait) : wait();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it is true (returns true) or timeoutMs passed (returns false). */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

/** The last lines of a log file (read from its end), or '' when there is none. */
export async function logTail(path: string | undefined, count = 15): Promise<string> {
  if (!path) return '';
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 8192);
      const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
      return lastLines(buffer.toString('utf8'), count);
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

/** A service's state: its pid (from the pid file), whether that process lives, whether it is ready. */
export interface ServiceState {
  pid: number | null;
  alive: boolean;
  ready: boolean;
}

/** Reads the pid file, checks the process, and runs the readiness check only when it lives. */
export async function serviceState(pidFile: string, ready: Readiness): Promise<ServiceState> {
  const pid = await readPid(pidFile);
  const alive = pid !== null && isAlive(pid);
  return { pid, alive, ready: alive && (await isReady(ready)) };
}
