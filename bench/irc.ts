/**
 * `npm run bench:irc` (issue 13 point 6): the same fan-out — one flow (or channel), N subscribers,
 * R messages per second for S seconds — through Tributary's IRC gateway, over its WebSocket, and
 * through ngircd (converged by the project's cookbook), in one run; prints deliveries per second
 * and latency (`now − sent`, where `sent` rides in the message). docs/benchmarks.md, "IRC".
 */
import { handleHelpAndUnknown } from './cli-flags';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { cookbooks } from '../chef-like-provisioning/cookbooks/index';
import { compile } from '../chef-like-provisioning/compile';
import { runResources } from '../chef-like-provisioning/runner';
import { Deliveries, ircSubscriber, openMany, type Subscriber, webSocketSubscriber } from './irc-clients';
import { readOptions } from './options';
import { freePort } from './processes';
import { startTributary } from './stack';
import { fmtInt, fmtMs, nowMs, table } from './stats';

interface Run {
  system: string;
  subscribers: number;
  published: number;
  deliveries: Deliveries;
  connectMs: number;
}

const settings = () => {
  const int = (name: string, fallback: number): number => {
    const raw = process.env[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    return n;
  };
  return { clients: int('BENCH_IRC_CLIENTS', 1000), rate: int('BENCH_IRC_RATE', 20), seconds: int('BENCH_IRC_SECONDS', 5), drainMs: 10_000 };
};
type Settings = ReturnType<typeof settings>;

/** Calls `send(i, sent)` `rate` times a second for `seconds`; resolves with the count. */
function paced(s: Settings, send: (i: number, sent: number) => void): Promise<number> {
  const total = s.rate * s.seconds;
  const started = nowMs();
  let done = 0;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor((s.rate * (nowMs() - started)) / 1000));
      while (done < due) send(done++, nowMs());
      if (done >= total) {
        clearInterval(timer);
        resolve(total);
      }
    }, 2);
  });
}

/** Waits until every expected delivery arrived or the drain time passed. */
async function drained(deliveries: Deliveries, expected: number, drainMs: number): Promise<void> {
  const until = Date.now() + drainMs;
  while (deliveries.latency.count < expected && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

async function measure(system: string, s: Settings, open: (d: Deliveries) => Promise<Subscriber[]>, publish: (i: number, sent: number) => void): Promise<Run> {
  const deliveries = new Deliveries();
  const t0 = Date.now();
  const subscribers = await open(deliveries);
  const connectMs = Date.now() - t0;
  const published = await paced(s, publish);
  await drained(deliveries, published * subscribers.length, s.drainMs);
  for (const sub of subscribers) sub.close();
  return { system, subscribers: subscribers.length, published, deliveries, connectMs };
}

async function tributaryRuns(s: Settings, log: (line: string) => void): Promise<Run[]> {
  const ircPort = await freePort();
  const options = { ...readOptions([]), users: 10, flows: 1, e2eFlows: 0, streamingNodes: 1 };
  const stack = await startTributary(options, log, { IRC_PORT: String(ircPort), STREAM_MAX_CONNECTIONS_PER_USER: '1000000' });
  const redis = new Redis(options.redisUrl);
  try {
    const flow = stack.flows[0]!;
    const channel = `#${flow.path}`;
    let id = 0;
    // What the message backend publishes once it has stored a post; the streaming node cannot tell the difference.
    const publish = (_i: number, sent: number) =>
      void redis.publish(`${stack.prefix}flow:${flow.id}`, JSON.stringify({ event: 'message', content: `bench ${sent}`, tags: [], uuid: null, id: ++id, flow: flow.id, sent, user: '1', app: 'chat', attachments: [] }));
    const token = (i: number) => stack.tokens[i % stack.tokens.length]!;
    const joined = new RegExp(` JOIN :?${channel.replace(/[/.]/g, '\\$&')}$`);
    const gateway = await measure('Tributary IRC gateway', s, (d) => openMany(s.clients, 50, (i) => ircSubscriber(ircPort, [`PASS ${token(i)}`, `NICK b${i}`, `USER b${i} 0 * :bench`], joined, d)), publish);
    const ws = await measure('Tributary WebSocket', s, (d) => openMany(s.clients, 50, (i) => webSocketSubscriber(`ws://127.0.0.1:${stack.streaming[0]!.port}/ws`, token(i), flow.id, d)), publish);
    return [gateway, ws];
  } finally {
    redis.disconnect();
    await stack.stop();
  }
}

/** ngircd throttles each client to about 3 lines/s after a burst, so the load comes from one sender per 2 lines/s. */
async function ngircdRun(s: Settings): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ngircd-'));
  const port = await freePort();
  const dataDir = join(dir, 'ngircd');
  const compiled = compile({ name: 'bench', description: 'bench:irc', runList: ['ngircd'], defaultAttributes: {} }, cookbooks, { ngircd: { port, dataDir } });
  if (compiled.errors.length) throw new Error(compiled.errors.join('\n'));
  const report = await runResources(compiled.resources, { whyRun: false, node: compiled.node });
  const failed = report.resources.find((r) => r.status === 'failed');
  if (failed) throw new Error(`converging ngircd: ${failed.error}`);
  try {
    const member = (nick: string, d: Deliveries) => ircSubscriber(port, [`NICK ${nick}`, 'USER bench 0 * :bench', 'JOIN #bench'], / JOIN :?#bench$/, d);
    const senders = await openMany(Math.ceil(s.rate / 2), 10, (i) => member(`s${i}`, new Deliveries()));
    try {
      return await measure('ngircd 26.1', s, (d) => openMany(s.clients, 50, (i) => member(`b${i}`, d)), (i, sent) => senders[i % senders.length]!.send(`PRIVMSG #bench :bench ${sent}`));
    } finally {
      for (const sender of senders) sender.close();
    }
  } finally {
    try {
      process.kill(Number(readFileSync(join(dataDir, 'ngircd.pid'), 'utf8')), 'SIGTERM');
    } catch {
      // not running
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function render(s: Settings, runs: Run[]): string {
  const rows = [['system', 'subscribers', 'connect', 'published', 'delivered', 'of expected', 'deliveries/s', 'p50 ms', 'p99 ms', 'max ms']];
  for (const r of runs) {
    const d = r.deliveries;
    const seconds = (d.lastAt - d.firstAt) / 1000;
    rows.push([
      r.system, fmtInt(r.subscribers), `${fmtInt(r.connectMs)} ms`, fmtInt(r.published), fmtInt(d.latency.count),
      `${((100 * d.latency.count) / (r.published * r.subscribers)).toFixed(1)} %`, fmtInt(seconds > 0 ? d.latency.count / seconds : Number.NaN),
      fmtMs(d.latency.percentile(50)), fmtMs(d.latency.percentile(99)), fmtMs(d.latency.max()),
    ]);
  }
  return `IRC fan-out: ${s.rate} messages/s for ${s.seconds} s into one flow/channel, ${s.clients} subscribers\n${table(rows)}`;
}

export async function main(): Promise<number> {
  handleHelpAndUnknown(process.argv.slice(2), 'npm run bench:irc', 'One flow fanned out to BENCH_IRC_CLIENTS (1000) clients through the IRC gateway, over WebSocket, and through ngircd, at BENCH_IRC_RATE (20) messages/s for BENCH_IRC_SECONDS (5) s. No flags; set those variables.', []);
  const s = settings();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const runs = [...(await tributaryRuns(s, log)), await ngircdRun(s)];
  process.stdout.write(`${render(s, runs)}\n`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench:irc: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
