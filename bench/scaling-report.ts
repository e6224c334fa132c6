/** The two tables of `npm run bench:scaling`: fan-out by streaming nodes, and persisted posts/s by shards and backends, each beside its single-process figure as 1.00×. */
import { cpus } from 'node:os';
import type { LayoutResult } from './scaling-ingest';
import type { NodesRow } from './scaling-fanout';
import { fmtInt, fmtMs, fmtRatio, median, spread, table } from './stats';

/** Why the figures on one machine do not show what more machines would: the load generator competes for the same cores. */
function sharedCpuNote(): string {
  return `Note: this machine has ${cpus().length} cores, shared by the load generator and every server process (and Postgres and Redis);
where "load gen" plus "servers" reach the cores, the figure is the machine's, not the servers' (docs/scaling.md, "Reading the figures").`;
}

export function renderNodesTable(rows: NodesRow[]): string {
  if (!rows.length) return '';
  const single = (row: NodesRow) => rows.find((r) => r.nodes === Math.min(...rows.map((x) => x.nodes)) && r.rate === row.rate && r.subscribers === row.subscribers);
  const header = ['nodes', 'subs', 'rate ev/s', 'offered dl/s', 'delivered/s', '× 1 node', 'p50 ms', 'p99 ms', 'nodes CPU %', 'CPU µs/dl', '× 1 node', 'Redis %', 'load gen %', 'machine %', 'subscribe s'];
  const body = rows.map((r) => {
    const base = single(r);
    return [
      String(r.nodes), fmtInt(r.subscribers), fmtInt(r.rate), fmtInt(r.offeredPerSec),
      `${fmtInt(r.deliveredPerSec)}${r.drained ? '' : '*'}`, fmtRatio(r.deliveredPerSec, base?.deliveredPerSec ?? Number.NaN),
      fmtMs(r.p50), fmtMs(r.p99), fmtInt(r.serverCpuPct), r.serverCpuUsPerDelivery.toFixed(2), fmtRatio(r.serverCpuUsPerDelivery, base?.serverCpuUsPerDelivery ?? Number.NaN),
      fmtInt(r.redisCpuPct), fmtInt(r.clientCpuPct), fmtInt(r.machineBusyPct), (r.subscribeMs / 1000).toFixed(1),
    ];
  });
  const undrained = rows.some((r) => !r.drained) ? '\n* deliveries were still arriving when the drain window ended.' : '';
  return `Fan-out by streaming nodes (subscribers spread over the nodes, each node on every flow; "× 1 node" at the same rate; CPU % of one core, machine % of all)
${table([header, ...body])}${undrained}
${sharedCpuNote()}\n`;
}

export function renderLayoutsTable(results: LayoutResult[], rounds: number, outstanding: number): string {
  if (!results.length) return '';
  const base = median(results[0]!.samples.map((s) => s.postsPerSec));
  const header = ['shards', 'backends', 'shards posted to', 'posts/s', `× ${results[0]!.shards}/${results[0]!.backends}`, 'ack p50 ms', 'ack p99 ms', 'failed', 'web-api %', 'backends %', 'Postgres %', 'posts/WAL sync', 'load gen %', 'machine %'];
  const body = results.map((r) => {
    const of = (pick: (s: LayoutResult['samples'][number]) => number) => r.samples.map(pick);
    return [
      String(r.shards), String(r.backends), String(r.shardsUsed),
      spread(of((s) => s.postsPerSec), fmtInt), fmtRatio(median(of((s) => s.postsPerSec)), base),
      spread(of((s) => s.p50), fmtMs), spread(of((s) => s.p99), fmtMs), String(of((s) => s.failed).reduce((a, b) => a + b, 0)),
      spread(r.samples.map((s, i) => s.serverCpu - r.backendCpu[i]!), fmtInt), spread(r.backendCpu, fmtInt), spread(r.postgresCpu, fmtInt),
      spread(r.postsPerWalSync, (n) => n.toFixed(1)), spread(of((s) => s.loadCpu), fmtInt), spread(of((s) => s.machineBusy), fmtInt),
    ];
  });
  return `Persisted REST posts/s by shards and message-backends (${outstanding} in flight, every 201 on disk; median [min–max] of ${rounds} round${rounds > 1 ? 's' : ''}; "×" against the first layout)
${table([header, ...body])}
Postgres % and posts/WAL sync are the whole server's: other databases' work on this machine counts too.
${sharedCpuNote()}\n`;
}
