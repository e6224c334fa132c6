/** End to end through Tributary: posts over REST and over WebSocket `post` frames, persisted, then delivered to subscribers; msgs/s, ack and delivery latency. */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { ClientPool } from './clients';
import type { BenchOptions } from './options';
import { type HistogramTotals, meanBetween, scrapeHistograms } from './server-metrics';
import { cpuSeconds, machineBusyPct, machineCpuTicks } from './processes';
import type { SeededFlow, TributaryStack } from './stack';
import { Histogram, nowMs } from './stats';

export interface E2eRow {
  mode: 'rest' | 'websocket';
  inFlight: number;
  subscribers: number;
  acked: number;
  failed: number;
  messagesPerSec: number;
  ackP50: number;
  ackP99: number;
  delivered: number;
  /** Deliveries the acked messages imply (every subscriber watches every e2e flow). */
  expected: number;
  deliveredPerSec: number;
  deliveryP50: number;
  deliveryP99: number;
  /** Means from the services' own histograms over the run (ms, except the batch size). */
  stages: { edgeAckMs: number; persistBatchMs: number; batchSize: number; nodeDeliveryMs: number };
  /** CPU over the run, % of one core per process group, and the whole machine's busy share (%). */
  cpu: { webApi: number; backend: number; streaming: number; clients: number; machineBusy: number };
  errors: string[];
}

interface PostOutcome {
  acked: number;
  failed: number;
  ack: Histogram;
  errors: string[];
  seconds: number;
}

const CONTENT = 'End-to-end benchmark message: posted, persisted by the backend, published and streamed.';

/** `inFlight` lanes post over REST back to back for `seconds`. */
async function postRest(baseUrl: string, flows: SeededFlow[], tokens: string[], inFlight: number, seconds: number): Promise<PostOutcome> {
  const ack = new Histogram();
  const errors: string[] = [];
  let acked = 0;
  let failed = 0;
  const started = nowMs();
  const until = started + seconds * 1000;
  const lane = async (lane: number) => {
    for (let i = 0; nowMs() < until; i++) {
      const flow = flows[(lane + i) % flows.length]!;
      const t0 = nowMs();
      try {
        const res = await fetch(`${baseUrl}/flows/${flow.path}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[lane % tokens.length]}`, 'content-type': 'application/json' },
          body: JSON.stringify({ event: 'message', content: CONTENT, uuid: randomUUID() }),
        });
        const text = await res.text();
        if (res.status === 201) {
          ack.record(nowMs() - t0);
          acked++;
        } else {
          failed++;
          if (errors.length < 5) errors.push(`${res.status} ${text.slice(0, 200)}`);
        }
      } catch (error) {
        failed++;
        if (errors.length < 5) errors.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, i) => lane(i)));
  return { acked, failed, ack, errors, seconds: (nowMs() - started) / 1000 };
}

/** One WebSocket connection keeps `inFlight` `post` frames outstanding for `seconds`. */
async function postWebSocket(url: string, token: string, flows: SeededFlow[], inFlight: number, seconds: number): Promise<PostOutcome> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('message', () => resolve()); // hello
  });
  const ack = new Histogram();
  const errors: string[] = [];
  const pending = new Map<string, number>();
  let acked = 0;
  let failed = 0;
  let sentCount = 0;
  const started = nowMs();
  const until = started + seconds * 1000;
  return new Promise<PostOutcome>((resolve, reject) => {
    const finish = () => {
      ws.close();
      resolve({ acked, failed, ack, errors, seconds: (nowMs() - started) / 1000 });
    };
    const sendOne = () => {
      if (nowMs() >= until) {
        if (pending.size === 0) finish();
        return;
      }
      const ref = `r${sentCount}`;
      const flow = flows[sentCount % flows.length]!;
      sentCount++;
      pending.set(ref, nowMs());
      ws.send(JSON.stringify({ type: 'post', ref, flow: flow.id, event: 'message', content: CONTENT, uuid: randomUUID() }));
    };
    ws.on('error', reject);
    ws.on('close', () => pending.size && reject(new Error(`posting connection closed with ${pending.size} posts unanswered`)));
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { type?: string; ref?: string; message?: string };
      if (frame.ref === undefined || !pending.has(frame.ref)) return;
      const t0 = pending.get(frame.ref)!;
      pending.delete(frame.ref);
      if (frame.type === 'ack') {
        ack.record(nowMs() - t0);
        acked++;
      } else {
        failed++;
        if (errors.length < 5) errors.push(JSON.stringify(frame).slice(0, 200));
      }
      sendOne();
    });
    for (let i = 0; i < inFlight; i++) sendOne();
  });
}

export async function runE2e(stack: TributaryStack, options: BenchOptions, log: (line: string) => void): Promise<E2eRow[]> {
  const rows: E2eRow[] = [];
  const pool = ClientPool.start(options.clientWorkers);
  const flowIds = stack.e2eFlows.map((f) => f.id);
  try {
    const urls = stack.streaming.map((s) => `ws://127.0.0.1:${s.port}/ws`);
    const connected = await pool.connect('tributary', options.e2eSubscribers, { urls, tokens: stack.tokens, flowSets: [flowIds] });
    log(`e2e: ${connected.ok} subscribers on ${urls.length} streaming nodes, each watching ${flowIds.length} flows (${connected.failed} failed)`);
    const modes: { mode: E2eRow['mode']; run: () => Promise<PostOutcome> }[] = [
      { mode: 'rest', run: () => postRest(`http://127.0.0.1:${stack.webApi.port}`, stack.e2eFlows, stack.tokens, options.e2eConcurrency, options.e2eSeconds) },
      { mode: 'websocket', run: () => postWebSocket(urls[0]!, stack.tokens[0]!, stack.e2eFlows, options.e2eConcurrency, options.e2eSeconds) },
    ];
    for (const { mode, run } of modes) {
      const phase = `e2e-${mode}`;
      await pool.setPhase(phase);
      const start = await pool.progress();
      const scrape = () => Promise.all([stack.webApi, ...stack.backends, ...stack.streaming].map((s) => scrapeHistograms(s.port)));
      const before: HistogramTotals[] = await scrape();
      const groups = () => [[stack.webApi.pid], stack.backends.map((b) => b.pid), stack.streaming.map((s) => s.pid), pool.pids].map((pids) => pids.reduce((a, pid) => a + cpuSeconds(pid), 0));
      const cpu0 = groups();
      const machine0 = machineCpuTicks();
      const started = nowMs();
      const outcome = await run();
      const cpu1 = groups();
      const machine1 = machineCpuTicks();
      const pct = (i: number) => (100 * (cpu1[i]! - cpu0[i]!)) / outcome.seconds;
      const expected = outcome.acked * connected.ok;
      await pool.waitQuiet(1000, options.drainSeconds * 1000, { total: start.delivered + expected });
      const stats = await pool.stats(phase);
      const after = await scrape();
      const row: E2eRow = {
        mode,
        inFlight: options.e2eConcurrency,
        subscribers: connected.ok,
        acked: outcome.acked,
        failed: outcome.failed,
        messagesPerSec: outcome.acked / outcome.seconds,
        ackP50: outcome.ack.percentile(50),
        ackP99: outcome.ack.percentile(99),
        delivered: stats.delivered,
        expected,
        deliveredPerSec: stats.delivered / (Math.max(stats.lastAt - started, outcome.seconds * 1000) / 1000),
        deliveryP50: stats.latency.percentile(50),
        deliveryP99: stats.latency.percentile(99),
        stages: {
          edgeAckMs: meanBetween('tributary_ack_latency_ms', before, after),
          persistBatchMs: meanBetween('tributary_persist_latency_ms', before, after),
          batchSize: meanBetween('tributary_persist_batch_size', before, after),
          nodeDeliveryMs: meanBetween('tributary_delivery_latency_ms', before, after),
        },
        cpu: { webApi: pct(0), backend: pct(1), streaming: pct(2), clients: pct(3), machineBusy: machineBusyPct(machine0, machine1) },
        errors: outcome.errors,
      };
      rows.push(row);
      log(
        `${phase}: ${row.acked} acked (${row.failed} failed), ${Math.round(row.messagesPerSec)} msg/s, ack p50 ${row.ackP50.toFixed(1)} / p99 ${row.ackP99.toFixed(1)} ms; ${row.delivered}/${row.expected} delivered, p50 ${row.deliveryP50.toFixed(1)} / p99 ${row.deliveryP99.toFixed(1)} ms${row.errors.length ? `; errors: ${row.errors.join(' | ')}` : ''}`,
      );
    }
  } finally {
    await pool.close();
  }
  return rows;
}
