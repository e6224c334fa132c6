/** One measured phase of offered posts: the posts/s and ack latency, and the CPU of the system under test, of the load generator (this process) and of the machine. */
import { type CpuPart, cpuPerPost, readCpu } from './cpu-budget';
import type { LoadOutcome } from './ingest-load';
import { cpuSecondsOf, machineBusyPct, waitForQuietMachine } from './processes';
import type { Log } from './script';
import { fmtInt, fmtMs } from './stats';

export interface Sample {
  postsPerSec: number;
  p50: number;
  p99: number;
  failed: number;
  /** % of one core over the phase: the system under test (web-api + backend + streaming, or the peer), the load generator, the machine. */
  serverCpu: number;
  loadCpu: number;
  machineBusy: number;
  /** Milliseconds of CPU per acknowledged post by part (cpu-budget.ts), when parts were given. */
  cpuPerPost: Record<string, number>;
}

/**
 * Waits (10 s at most) for a quiet machine, then runs `run`, charging `pids` as the system under
 * test; `parts` also splits the phase's CPU per post among them (cpu-budget.ts).
 */
export async function measureLoad(pids: number[], run: () => Promise<LoadOutcome>, log: Log, parts: readonly CpuPart[] = []): Promise<Sample & { errors: string[] }> {
  const busy = await waitForQuietMachine(25, 10_000);
  if (busy > 25) log(`machine ${Math.round(busy)}% busy before the phase (shared machine); measuring anyway`);
  const cpu = () => cpuSecondsOf(pids);
  const server0 = cpu();
  const load0 = process.cpuUsage();
  // Each reading holds the machine's counters too (with no parts, only them).
  const parts0 = readCpu(parts);
  const out = await run();
  const parts1 = readCpu(parts);
  const load = process.cpuUsage(load0);
  return {
    postsPerSec: out.acked / out.seconds,
    p50: out.ack.percentile(50),
    p99: out.ack.percentile(99),
    failed: out.failed,
    serverCpu: (100 * (cpu() - server0)) / out.seconds,
    loadCpu: (100 * (load.user + load.system)) / 1e6 / out.seconds,
    machineBusy: machineBusyPct(parts0.machine, parts1.machine),
    cpuPerPost: parts.length ? cpuPerPost(parts0, parts1, out.acked) : {},
    errors: out.errors,
  };
}

/** One line for the log: posts/s, ack latency, failures, CPU and the first errors. */
export function describeSample(s: Sample & { errors: string[] }): string {
  return `${fmtInt(s.postsPerSec)} posts/s, ack p50 ${fmtMs(s.p50)} / p99 ${fmtMs(s.p99)} ms, ${s.failed} failed; CPU server ${Math.round(s.serverCpu)}% load ${Math.round(s.loadCpu)}% machine ${Math.round(s.machineBusy)}%${s.errors.length ? `; errors: ${s.errors.join(' | ')}` : ''}`;
}
