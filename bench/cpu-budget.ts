/**
 * Where a phase's CPU went, process by process: the servers of ours, Postgres, Redis, the load
 * generator and the rest of the machine (the kernel's own work, other processes). On a machine
 * whose cores every part shares, a saturated rate is bounded by the sum of these per post, not by
 * one process alone; this is the bound docs/benchmarks.md names for each write-path figure.
 */
import { execFileSync } from 'node:child_process';
import { cpuSeconds, machineCpuTicks } from './processes';

/** A named share of the machine: the processes it counts, found again at each reading (a pool may open connections under load). */
export interface CpuPart {
  name: string;
  pids: () => number[];
}

/** CPU seconds per pid of each part, and the machine's counters, at one moment. */
export interface CpuReading {
  parts: Map<string, Map<number, number>>;
  machine: { busy: number; total: number };
}

/** Pids of every local process whose command name is exactly `name` (`postgres`, `redis-server`); empty when none. */
export function processesNamed(name: string): number[] {
  try {
    return execFileSync('pgrep', ['-x', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function readCpu(parts: readonly CpuPart[]): CpuReading {
  const reading = new Map(parts.map((part) => [part.name, new Map(part.pids().map((pid) => [pid, cpuSeconds(pid)] as const))] as const));
  return { parts: reading, machine: machineCpuTicks() };
}

/**
 * CPU seconds a set of processes used between two readings. A process born in between counts
 * whole; one that ended in between is lost, so the figure is a lower bound.
 */
export function cpuSecondsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let seconds = 0;
  for (const [pid, b] of after) {
    const a = before.get(pid) ?? 0;
    if (Number.isFinite(a) && Number.isFinite(b)) seconds += b - a;
  }
  return seconds;
}

/** Milliseconds of CPU per post by part between two readings, plus `other` (the machine's busy time no part accounts for). */
export function cpuPerPost(a: CpuReading, b: CpuReading, posts: number): Record<string, number> {
  const perPost = (seconds: number) => (posts > 0 ? (1000 * seconds) / posts : Number.NaN);
  const out: Record<string, number> = {};
  let counted = 0;
  for (const [name, after] of b.parts) {
    const seconds = cpuSecondsBetween(a.parts.get(name) ?? new Map(), after);
    counted += seconds;
    out[name] = perPost(seconds);
  }
  // /proc/stat counts in USER_HZ ticks (100 per second on Linux), summed over the cores.
  const machineSeconds = (b.machine.busy - a.machine.busy) / 100;
  out.other = perPost(Math.max(0, machineSeconds - counted));
  out.total = perPost(Math.max(machineSeconds, counted));
  return out;
}
