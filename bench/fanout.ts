/** Fan-out: N subscribers over F flows, synthetic events published to Redis at rising rates; delivered events/s and publish-to-delivery latency. */
import { ClientPool } from './clients';
import { type ClientKind, type PublisherCommands, WorkerClient } from './ipc';
import type { BenchOptions, System } from './options';
import { cpuSeconds, cpuSecondsOf, forkWorker, machineBusyPct, machineCpuTicks, type ServiceProcess } from './processes';
import type { TributaryStack } from './stack';

/** What the fan-out needs to know about the system under test. */
export interface FanoutTarget {
  system: System;
  kind: ClientKind;
  urls: string[];
  tokens: string[];
  /** Server processes whose CPU time is accounted (streaming nodes / Socket.IO nodes). */
  serverPids: number[];
  redisPid: number | null;
  publisher: PublisherCommands['init'][0];
}

/** Tributary's streaming `nodes` as a fan-out target: subscribers spread over them, events published on the stack's flow channels as the backend does. */
export function tributaryFanoutTarget(stack: TributaryStack, nodes: ServiceProcess[], redisUrl: string, redisPid: number | null): FanoutTarget {
  return {
    system: 'tributary', kind: 'tributary', urls: nodes.map((s) => `ws://127.0.0.1:${s.port}/ws`), tokens: stack.tokens,
    serverPids: nodes.map((s) => s.pid), redisPid,
    publisher: { mode: 'redis', redisUrl, channelPrefix: `${stack.prefix}flow:`, flowIds: stack.flows.map((f) => f.id) },
  };
}

export interface FanoutRow {
  system: System;
  subscribers: number;
  flows: number;
  /** Connections that were open when the phase started. */
  open: number;
  rate: number;
  published: number;
  /** Deliveries the publish implies (each event × the subscribers of its flow). */
  expected: number;
  delivered: number;
  /** Deliveries per second, from the first publish to the last delivery. */
  deliveredPerSec: number;
  /** Deliveries per second the publish rate asks for. */
  offeredPerSec: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU of the server processes over the phase, in % of one core. */
  serverCpuPct: number;
  /** Server CPU microseconds per delivered event. */
  serverCpuUsPerDelivery: number;
  redisCpuPct: number;
  /** CPU of the client workers over the phase, in % of one core (the machine has 2 cores = 200%). */
  clientCpuPct: number;
  /** Whole machine (all cores) busy over the phase, %: near 100 means everything competes for CPU. */
  machineBusyPct: number;
  /** Connections dropped by the server during the phase. */
  dropped: number;
  /** False when deliveries were still arriving when the drain wait ran out. */
  drained: boolean;
}

export interface FanoutConnectRow {
  system: System;
  subscribers: number;
  flows: number;
  ok: number;
  failed: number;
  ms: number;
}

/** Subscribers of each flow when connection i watches flow i % flows. */
function subscribersPerFlow(subscribers: number, flows: number): number[] {
  return Array.from({ length: flows }, (_, f) => Math.floor(subscribers / flows) + (f < subscribers % flows ? 1 : 0));
}

/** Deliveries implied by `published` events sent round-robin over the flows. */
function expectedDeliveries(published: number, perFlow: number[]): number {
  const flows = perFlow.length;
  let total = 0;
  for (let f = 0; f < flows; f++) total += (Math.floor(published / flows) + (f < published % flows ? 1 : 0)) * perFlow[f]!;
  return total;
}


export async function runFanout(
  target: FanoutTarget,
  flowIds: string[],
  options: BenchOptions,
  log: (line: string) => void,
): Promise<{ rows: FanoutRow[]; connects: FanoutConnectRow[] }> {
  const rows: FanoutRow[] = [];
  const connects: FanoutConnectRow[] = [];
  const publisher = new WorkerClient<PublisherCommands>(forkWorker('publisher-worker.js'));
  try {
    await publisher.call('init', target.publisher);
    // Each size from no connections: its flows get `perFlow` subscribers each, and its connect time is that of N from scratch.
    for (const n of options.fanoutSizes) {
      const flows = Math.min(flowIds.length, Math.ceil(n / options.perFlow));
      await publisher.call('resetIds', null);
      const pool = ClientPool.start(options.clientWorkers);
      try {
        await runSize(target, flowIds.slice(0, flows), n, pool, publisher, options, log, rows, connects);
      } finally {
        await pool.close();
      }
    }
  } finally {
    await publisher.call('close', null, 10_000).catch(() => undefined);
    publisher.child.kill('SIGTERM');
  }
  return { rows, connects };
}

async function runSize(
  target: FanoutTarget,
  flowIds: string[],
  n: number,
  pool: ClientPool,
  publisher: WorkerClient<PublisherCommands>,
  options: BenchOptions,
  log: (line: string) => void,
  rows: FanoutRow[],
  connects: FanoutConnectRow[],
): Promise<void> {
  const connected = await pool.connect(target.kind, n, { urls: target.urls, tokens: target.tokens, flowSets: flowIds.map((f) => [f]) });
  connects.push({ system: target.system, subscribers: n, flows: flowIds.length, ok: connected.ok, failed: connected.failed, ms: connected.ms });
  log(`${target.system}: ${connected.ok} subscribers over ${flowIds.length} flows in ${connected.ms} ms (${connected.failed} failed${connected.errors.length ? `: ${connected.errors.join('; ')}` : ''})`);
  const perFlow = subscribersPerFlow(pool.size, flowIds.length);
  for (const rate of options.rates) {
    const phase = `${target.system}-n${n}-r${rate}-${Date.now()}`;
    const before = await pool.progress();
    if (before.open < pool.size) {
      const healed = await pool.heal();
      log(`${target.system}: re-opened ${healed.ok} dropped connections (${healed.failed} failed); drops so far by reason: ${JSON.stringify(before.dropReasons)}`);
    }
    const start = await pool.progress();
    const cpu0 = cpuSecondsOf(target.serverPids);
    const redis0 = target.redisPid ? cpuSeconds(target.redisPid) : Number.NaN;
    const clients0 = cpuSecondsOf(pool.pids);
    const machine0 = machineCpuTicks();
    const pub = await publisher.call('publish', { phase, rate, seconds: options.phaseSeconds, flows: flowIds.length });
    const expected = expectedDeliveries(pub.published, perFlow);
    const drained = await pool.waitQuiet(1000, options.drainSeconds * 1000, { total: start.delivered + expected });
    const cpu1 = cpuSecondsOf(target.serverPids);
    const redis1 = target.redisPid ? cpuSeconds(target.redisPid) : Number.NaN;
    const clients1 = cpuSecondsOf(pool.pids);
    const machine1 = machineCpuTicks();
    const stats = await pool.stats(phase);
    const end = await pool.progress();
    const seconds = Math.max(stats.lastAt - pub.startedAt, pub.endedAt - pub.startedAt) / 1000;
    const row: FanoutRow = {
      system: target.system,
      subscribers: n,
      flows: flowIds.length,
      open: start.open,
      rate,
      published: pub.published,
      expected,
      delivered: stats.delivered,
      deliveredPerSec: stats.delivered / seconds,
      offeredPerSec: expected / options.phaseSeconds,
      p50: stats.latency.percentile(50),
      p99: stats.latency.percentile(99),
      max: stats.latency.max(),
      serverCpuPct: ((cpu1 - cpu0) / seconds) * 100,
      serverCpuUsPerDelivery: stats.delivered ? ((cpu1 - cpu0) * 1e6) / stats.delivered : Number.NaN,
      redisCpuPct: ((redis1 - redis0) / seconds) * 100,
      clientCpuPct: ((clients1 - clients0) / seconds) * 100,
      machineBusyPct: machineBusyPct(machine0, machine1),
      dropped: end.dropped - start.dropped,
      drained,
    };
    rows.push(row);
    log(
      `${phase}: ${row.delivered}/${row.expected} delivered, ${Math.round(row.deliveredPerSec)}/s, p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, server CPU ${Math.round(row.serverCpuPct)}% (${row.serverCpuUsPerDelivery.toFixed(2)} µs/dl), clients ${Math.round(row.clientCpuPct)}%, machine ${Math.round(row.machineBusyPct)}% busy${row.dropped ? `, ${row.dropped} dropped` : ''}${drained ? '' : ' (still draining)'}`,
    );
    // A backlog left over would be counted against the next phase's CPU and latency.
    if (!drained && !(await pool.waitQuiet(1000, 30_000))) log(`${phase}: deliveries still arriving 30 s after the drain window`);
  }
}
