/** Child processes of the benchmark: spawning services, forking workers, reading RSS/CPU from /proc, and killing them all on exit. */
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/project-root';
import { freePort, waitForHealth } from '../infra/process/service-readiness';

/** Every child still alive; killed by {@link killAllChildren} (on exit, error and timeout). */
const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** SIGTERM every child, then SIGKILL those still alive after `graceMs`. */
export async function killAllChildren(graceMs = 3000): Promise<void> {
  const alive = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
  if (!alive.length) return;
  const exited = alive.map((c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : c.once('exit', () => resolve()))));
  for (const c of alive) c.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const c of alive) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }, graceMs);
  await Promise.all(exited);
  clearTimeout(timer);
}

/** Last resort, synchronous (process 'exit'): SIGKILL whatever is left. */
export function killAllChildrenNow(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/**
 * Node flags of a process the memory benchmark measures: `global.gc` exposed and the probe
 * (memory-probe.ts) preloaded, which answers {@link readMemory} over the IPC channel.
 */
export const MEMORY_PROBE_ARGS = ['--expose-gc', '--require', join(__dirname, 'memory-probe.js')];

/** `process.memoryUsage()` of a process started with {@link MEMORY_PROBE_ARGS}, read after full collections. */
export function readMemory(child: ChildProcess, timeoutMs = 30_000): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const answer = message as { type?: unknown; usage?: NodeJS.MemoryUsage; gc?: boolean } | null;
      if (answer?.type !== 'memory-probe' || !answer.usage) return;
      if (answer.gc) finish(null, answer.usage);
      else finish(new Error('memory probe: the process was started without --expose-gc'));
    };
    const timer = setTimeout(() => finish(new Error('memory probe: no answer (was the process started with MEMORY_PROBE_ARGS and an IPC channel?)')), timeoutMs);
    function finish(error: Error | null, usage?: NodeJS.MemoryUsage): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      if (error) reject(error);
      else resolve(usage!);
    }
    child.on('message', onMessage);
    child.send({ type: 'memory-probe' });
  });
}

export interface ServiceProcess {
  name: string;
  port: number;
  child: ChildProcess;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}


function capture(child: ChildProcess): () => string {
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => out.slice(-5000);
}

/** SIGTERM, then SIGKILL after `graceMs` (a profiled process needs longer: it writes its profile on the way out). */
function stopper(child: ChildProcess, graceMs = 5000): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/**
 * Starts `bin/tributary.js start <service>` from the built CLI and waits for GET /health. Every
 * service answers {@link readMemory} (an IPC channel and {@link MEMORY_PROBE_ARGS}).
 */
export async function spawnService(service: string, port: number, env: Record<string, string>, nodeArgs: string[] = []): Promise<ServiceProcess> {
  const bin = join(projectRoot(), 'bin', 'tributary.js');
  const child = track(
    spawn(process.execPath, [...MEMORY_PROBE_ARGS, ...nodeArgs, bin, 'start', service], {
      env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
  const output = capture(child);
  await waitForHealth(port, child, output, 20_000);
  const profiled = nodeArgs.some((arg) => arg.startsWith('--cpu-prof'));
  return { name: service, port, child, pid: child.pid!, output, stop: stopper(child, profiled ? 60_000 : 5000) };
}

/** Forks a compiled bench module (a sibling .js of this file) as a worker with an IPC channel. */
export function forkWorker(module: string, args: string[] = []): ChildProcess {
  const child = track(fork(join(__dirname, module), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  return child;
}

/** Starts a forked server-like worker (the Socket.IO peer) and waits for GET /health; it answers {@link readMemory}. */
export async function forkService(name: string, module: string, port: number, args: string[]): Promise<ServiceProcess> {
  const child = track(fork(join(__dirname, module), [String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: MEMORY_PROBE_ARGS }));
  const output = capture(child);
  await waitForHealth(port, child, output, 20_000);
  return { name, port, child, pid: child.pid!, output, stop: stopper(child) };
}


/** CPU time (user + system) a process has used so far, in seconds; NaN if it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) several processes have used so far together, in seconds. */
export function cpuSecondsOf(pids: readonly number[]): number {
  return pids.reduce((a, pid) => a + cpuSeconds(pid), 0);
}

/** Machine-wide CPU counters (all cores, in USER_HZ ticks) from /proc/stat: busy and total. */
export function machineCpuTicks(): { busy: number; total: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...; idle and iowait are the idle ones.
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** Share (0..100) of the whole machine's CPU that was busy between two {@link machineCpuTicks} readings. */
export function machineBusyPct(a: { busy: number; total: number }, b: { busy: number; total: number }): number {
  return b.total > a.total ? (100 * (b.busy - a.busy)) / (b.total - a.total) : Number.NaN;
}

/**
 * Waits until the machine is quiet (under `maxBusyPct` busy over a 500 ms window), at most `capMs`,
 * so that a scenario does not pay for the backlog of the previous one. Returns the last reading.
 */
export async function waitForQuietMachine(maxBusyPct = 25, capMs = 30_000): Promise<number> {
  const until = Date.now() + capMs;
  let busy = Number.NaN;
  do {
    const a = machineCpuTicks();
    await new Promise((r) => setTimeout(r, 500));
    busy = machineBusyPct(a, machineCpuTicks());
    if (!(busy > maxBusyPct)) return busy;
  } while (Date.now() < until);
  return busy;
}

/** Pid of the local redis-server, to account its CPU too; null when not found. */
export function redisServerPid(): number | null {
  try {
    const out = execFileSync('pgrep', ['-x', 'redis-server'], { encoding: 'utf8' }).trim().split('\n');
    return out.length === 1 && out[0] ? Number(out[0]) : null;
  } catch {
    return null;
  }
}

export { freePort };
