/** The benchmark's final tables: fan-out (ours, theirs, ratio), memory per connection, end to end. */
import type { E2eRow } from './e2e';
import type { FanoutConnectRow, FanoutRow } from './fanout';
import type { MemoryRow } from './memory';
import { fmtInt, fmtMs, fmtRatio, median, spread, table } from './stats';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  kernel: string;
  openFilesLimit: string;
}

export interface BenchResults {
  machine: MachineInfo;
  startedAt: string;
  options: Record<string, unknown>;
  memory: MemoryRow[];
  fanout: FanoutRow[];
  fanoutConnects: FanoutConnectRow[];
  e2e: E2eRow[];
}

const NAMES = { tributary: 'Tributary', socketio: 'Socket.IO', ceiling: 'ceiling' } as const;



const fmtFraction = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—');
const fmtUs = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '—');

/** Rows of one system, size and rate (one per repeated run). */
const runsOf = (rows: FanoutRow[], system: string, subscribers: number, rate: number) =>
  rows.filter((r) => r.system === system && r.subscribers === subscribers && r.rate === rate);

/**
 * Tributary against the ceiling peer, per size and rate: each figure as median [min–max] over
 * the runs, and Tributary's as a fraction of the ceiling's (the medians' ratio): delivered/s
 * (higher is better), CPU per delivery and p99 (lower is better).
 */
function ceilingTable(rows: FanoutRow[]): string {
  const out: string[][] = [['N subs / flows', 'rate ev/s', 'Tributary dl/s', 'ceiling dl/s', 'dl/s T÷C', 'T µs CPU/dl', 'C µs CPU/dl', 'CPU/dl T÷C', 'T p99 ms', 'C p99 ms', 'p99 T÷C']];
  const keys = [...new Set(rows.filter((r) => r.system === 'tributary').map((r) => `${r.subscribers}/${r.rate}`))];
  for (const key of keys) {
    const [n, rate] = key.split('/').map(Number) as [number, number];
    const ours = runsOf(rows, 'tributary', n, rate);
    const theirs = runsOf(rows, 'ceiling', n, rate);
    if (!theirs.length) continue;
    const pick = (rs: FanoutRow[], f: (r: FanoutRow) => number) => rs.map(f);
    const ratio = (f: (r: FanoutRow) => number) => fmtFraction(median(pick(ours, f)) / median(pick(theirs, f)));
    out.push([
      `${fmtInt(n)} / ${ours[0]!.flows}`,
      fmtInt(rate),
      spread(pick(ours, (r) => r.deliveredPerSec), fmtInt),
      spread(pick(theirs, (r) => r.deliveredPerSec), fmtInt),
      ratio((r) => r.deliveredPerSec),
      spread(pick(ours, (r) => r.serverCpuUsPerDelivery), fmtUs),
      spread(pick(theirs, (r) => r.serverCpuUsPerDelivery), fmtUs),
      ratio((r) => r.serverCpuUsPerDelivery),
      spread(pick(ours, (r) => r.p99), fmtMs),
      spread(pick(theirs, (r) => r.p99), fmtMs),
      ratio((r) => r.p99),
    ]);
  }
  return out.length > 1 ? table(out) : '(run tributary and ceiling for this comparison)';
}

/** Subscribe time of N clients from scratch, median [min–max] per system, and Tributary's as a multiple of the ceiling's. */
function connectTable(rows: FanoutConnectRow[]): string {
  const sizes = [...new Set(rows.map((r) => r.subscribers))];
  const systems = [...new Set(rows.map((r) => r.system))];
  const out: string[][] = [['N subs', ...systems.map((s) => `${NAMES[s]} s`), 'Tributary ÷ ceiling', 'failed']];
  for (const n of sizes) {
    const ms = (system: string) => rows.filter((r) => r.system === system && r.subscribers === n).map((r) => r.ms / 1000);
    out.push([
      fmtInt(n),
      ...systems.map((s) => spread(ms(s), (x) => x.toFixed(1))),
      fmtFraction(median(ms('tributary')) / median(ms('ceiling'))),
      fmtInt(rows.filter((r) => r.subscribers === n).reduce((a, r) => a + r.failed, 0)),
    ]);
  }
  return table(out);
}

function fanoutTable(rows: FanoutRow[]): string {
  const header = ['N subs', 'flows', 'rate ev/s', 'system', 'offered dl/s', 'delivered/s', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'srv CPU%', 'µs CPU/dl', 'clients CPU%', 'redis CPU%', 'machine busy%', 'dropped'];
  return table([
    header,
    ...rows.map((r) => [
      fmtInt(r.subscribers),
      fmtInt(r.flows),
      fmtInt(r.rate),
      NAMES[r.system],
      fmtInt(r.offeredPerSec),
      fmtInt(r.deliveredPerSec),
      `${((100 * r.delivered) / Math.max(1, r.expected)).toFixed(1)}%${r.drained ? '' : '*'}`,
      fmtMs(r.p50),
      fmtMs(r.p99),
      fmtMs(r.max),
      fmtInt(r.serverCpuPct),
      r.serverCpuUsPerDelivery.toFixed(2),
      fmtInt(r.clientCpuPct),
      fmtInt(r.redisCpuPct),
      fmtInt(r.machineBusyPct),
      fmtInt(r.dropped),
    ]),
  ]);
}

function comparisonTable(rows: FanoutRow[]): string {
  const out: string[][] = [['N subs', 'rate ev/s', 'Tributary dl/s', 'Socket.IO dl/s', 'ratio', 'Tributary p99', 'Socket.IO p99', 'µs CPU/dl T / S']];
  for (const ours of rows.filter((r) => r.system === 'tributary')) {
    const theirs = rows.find((r) => r.system === 'socketio' && r.subscribers === ours.subscribers && r.rate === ours.rate);
    if (!theirs) continue;
    out.push([
      fmtInt(ours.subscribers),
      fmtInt(ours.rate),
      fmtInt(ours.deliveredPerSec),
      fmtInt(theirs.deliveredPerSec),
      fmtRatio(ours.deliveredPerSec, theirs.deliveredPerSec),
      `${fmtMs(ours.p99)} ms`,
      `${fmtMs(theirs.p99)} ms`,
      `${ours.serverCpuUsPerDelivery.toFixed(2)} / ${theirs.serverCpuUsPerDelivery.toFixed(2)}`,
    ]);
  }
  return out.length > 1 ? table(out) : '(run both systems for a comparison)';
}

function memoryTable(rows: MemoryRow[]): string {
  return table([
    ['system', 'connections', 'failed', 'heap before MiB', 'heap after MiB', 'heap KiB / conn', 'external KiB / conn', 'RSS before MiB', 'RSS after MiB', 'RSS KiB / conn', 'connect time s'],
    ...rows.map((r) => [
      NAMES[r.system],
      fmtInt(r.connections),
      fmtInt(r.failed),
      (r.heapBeforeBytes / 2 ** 20).toFixed(1),
      (r.heapAfterBytes / 2 ** 20).toFixed(1),
      (r.heapPerConnection / 1024).toFixed(2),
      (r.externalPerConnection / 1024).toFixed(2),
      (r.rssBeforeBytes / 2 ** 20).toFixed(1),
      (r.rssAfterBytes / 2 ** 20).toFixed(1),
      (r.bytesPerConnection / 1024).toFixed(2),
      (r.connectMs / 1000).toFixed(1),
    ]),
  ]);
}

function e2eTable(rows: E2eRow[]): string {
  return table([
    ['post via', 'in flight', 'subscribers', 'acked', 'failed', 'msgs/s', 'ack p50 ms', 'ack p99 ms', 'deliveries/s', 'delivered', 'delivery p50 ms', 'delivery p99 ms'],
    ...rows.map((r) => [
      r.mode === 'rest' ? 'REST' : 'WebSocket',
      fmtInt(r.inFlight),
      fmtInt(r.subscribers),
      fmtInt(r.acked),
      fmtInt(r.failed),
      fmtInt(r.messagesPerSec),
      fmtMs(r.ackP50),
      fmtMs(r.ackP99),
      fmtInt(r.deliveredPerSec),
      `${((100 * r.delivered) / Math.max(1, r.expected)).toFixed(1)}%`,
      fmtMs(r.deliveryP50),
      fmtMs(r.deliveryP99),
    ]),
  ]);
}

function stagesTable(rows: E2eRow[]): string {
  return table([
    ['post via', 'edge: queued → persisted reply', 'backend: persist one batch', 'messages / batch', 'streaming node: sent → handed to sockets', 'CPU% web-api / backend / streaming / clients', 'machine busy%'],
    ...rows.map((r) => [
      r.mode === 'rest' ? 'REST' : 'WebSocket',
      `${fmtMs(r.stages.edgeAckMs)} ms`,
      `${fmtMs(r.stages.persistBatchMs)} ms`,
      Number.isFinite(r.stages.batchSize) ? r.stages.batchSize.toFixed(1) : '—',
      `${fmtMs(r.stages.nodeDeliveryMs)} ms`,
      [r.cpu.webApi, r.cpu.backend, r.cpu.streaming, r.cpu.clients].map(fmtInt).join(' / '),
      fmtInt(r.cpu.machineBusy),
    ]),
  ]);
}

export function renderReport(results: BenchResults): string {
  const m = results.machine;
  const parts = [
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB.toFixed(0)} GiB, Node ${m.node}, Linux ${m.kernel}, open files ${m.openFilesLimit}. Clients, servers, Redis and Postgres share these cores.`,
  ];
  if (results.memory.length) parts.push('Memory per idle WebSocket connection (authenticated where the server asks, subscribed to one flow), each read after full GC in the server', memoryTable(results.memory));
  if (results.fanout.length) {
    parts.push(
      'Fan-out (publish → delivered at the client; "offered dl/s" = rate × subscribers per flow; * = still draining when the wait ended)',
      fanoutTable(results.fanout),
      'Fan-out, Tributary vs Socket.IO',
      comparisonTable(results.fanout),
      'Fan-out, Tributary as a fraction of the ceiling peer (ws, one Redis channel per flow, each socket corked per tick); median [min–max] over runs',
      ceilingTable(results.fanout),
      'Subscribing N clients from scratch (connect, authenticate, subscribe one flow), seconds',
      connectTable(results.fanoutConnects),
    );
  }
  if (results.e2e.length) {
    parts.push('End to end through Tributary (post → persisted → ack; sent → delivered to every subscriber)', e2eTable(results.e2e));
    parts.push("End to end, means from the services' own /metrics histograms", stagesTable(results.e2e));
  }
  return parts.join('\n\n');
}
