/** `npm run bench`: starts Tributary in full mode (and Socket.IO and the ceiling peer for comparison), runs memory, fan-out and end-to-end, prints the tables, stops everything. */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { BENCH_FLAGS, handleHelpAndUnknown } from './cli-flags';
import { runE2e } from './e2e';
import { type FanoutTarget, runFanout, tributaryFanoutTarget } from './fanout';
import { runMemory } from './memory';
import { type BenchOptions, readOptions } from './options';
import { killAllChildren, killAllChildrenNow, redisServerPid, type ServiceProcess, waitForQuietMachine } from './processes';
import { startCeilingPeers } from './ceiling-peer';
import { type BenchResults, type MachineInfo, renderReport } from './report';
import { startSocketIoPeers } from './socketio-peer';
import { startTributary, type TributaryStack } from './stack';

const started = Date.now();
const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);

/** Lets the previous scenario's leftovers finish before the next one is measured. */
async function settle(): Promise<void> {
  const busy = await waitForQuietMachine();
  if (busy > 25) log(`machine still ${Math.round(busy)}% busy after waiting 30 s; measuring anyway`);
}

function machine(): MachineInfo {
  let openFiles = '?';
  try {
    const m = /Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (m) openFiles = `${m[1]} (hard ${m[2]})`;
  } catch {
    // not Linux
  }
  const all = cpus();
  return { cpus: all.length, cpuModel: all[0]?.model.trim() ?? '?', memoryGiB: totalmem() / 2 ** 30, node: process.version, kernel: release(), openFilesLimit: openFiles };
}

async function run(options: BenchOptions, results: BenchResults, cleanup: (() => Promise<void>)[]): Promise<void> {
  log(`options: ${JSON.stringify(results.options)}`);
  // The bench's few users hold thousands of connections each; the per-user cap (20) is for real users.
  const stack: TributaryStack = await startTributary(options, log, { STREAM_MAX_CONNECTIONS_PER_USER: '1000000' });
  cleanup.push(() => stack.stop());
  let peers: ServiceProcess[] = [];
  const adapterKey = `bench-sio-${randomBytes(4).toString('hex')}`;
  if (options.systems.includes('socketio')) {
    peers = await startSocketIoPeers(options.fanoutNodes, options.redisUrl, adapterKey);
    cleanup.push(async () => void (await Promise.all(peers.map((p) => p.stop()))));
    log(`socket.io: ${peers.map((p) => `:${p.port}`).join(' ')} (adapter key ${adapterKey})`);
  }
  let ceilings: ServiceProcess[] = [];
  const channelPrefix = `${stack.prefix}flow:`;
  if (options.systems.includes('ceiling')) {
    ceilings = await startCeilingPeers(options.fanoutNodes, options.redisUrl, channelPrefix);
    cleanup.push(async () => void (await Promise.all(ceilings.map((p) => p.stop()))));
    log(`ceiling: ${ceilings.map((p) => `:${p.port}`).join(' ')}`);
  }
  const fanoutNodes = stack.streaming.slice(0, options.fanoutNodes);
  const flowIds = stack.flows.map((f) => f.id);

  if (options.scenarios.includes('memory')) {
    log(`-- memory: ${options.memoryConnections} idle connections on one server process`);
    // The last streaming node: with one fan-out node it is never used by the fan-out, so it is fresh here either way.
    const node = stack.streaming[stack.streaming.length - 1]!;
    await settle();
    if (options.systems.includes('tributary')) {
      results.memory.push(await runMemory({ system: 'tributary', kind: 'tributary', url: `ws://127.0.0.1:${node.port}/ws`, tokens: stack.tokens, child: node.child }, flowIds, options, log));
    }
    if (peers[0]) {
      await settle();
      results.memory.push(await runMemory({ system: 'socketio', kind: 'socketio', url: `http://127.0.0.1:${peers[0].port}`, tokens: [''], child: peers[0].child }, flowIds, options, log));
    }
    if (ceilings[0]) {
      await settle();
      results.memory.push(await runMemory({ system: 'ceiling', kind: 'ceiling', url: `ws://127.0.0.1:${ceilings[0].port}`, tokens: [''], child: ceilings[0].child }, flowIds, options, log));
    }
  }

  if (options.scenarios.includes('fanout')) {
    const redisPid = redisServerPid();
    const targets: FanoutTarget[] = [];
    if (options.systems.includes('tributary')) {
      targets.push(tributaryFanoutTarget(stack, fanoutNodes, options.redisUrl, redisPid));
    }
    if (peers.length) {
      targets.push({
        system: 'socketio', kind: 'socketio', urls: peers.map((p) => `http://127.0.0.1:${p.port}`), tokens: [''],
        serverPids: peers.map((p) => p.pid), redisPid,
        publisher: { mode: 'socketio', redisUrl: options.redisUrl, adapterKey, flowIds },
      });
    }
    if (ceilings.length) {
      targets.push({
        system: 'ceiling', kind: 'ceiling', urls: ceilings.map((p) => `ws://127.0.0.1:${p.port}`), tokens: [''],
        serverPids: ceilings.map((p) => p.pid), redisPid,
        publisher: { mode: 'redis', redisUrl: options.redisUrl, channelPrefix, flowIds },
      });
    }
    // Interleaved runs: a slow spell of the shared machine then hits every system, not one.
    for (let run = 1; run <= options.repeat; run++) {
      for (const target of targets) {
        await settle();
        log(`-- fan-out${options.repeat > 1 ? ` run ${run}/${options.repeat}` : ''}: ${target.system}, ${options.fanoutSizes.join(' then ')} subscribers, ${options.perFlow} per flow, ${options.rates.join('/')} events/s for ${options.phaseSeconds} s each`);
        const { rows, connects } = await runFanout(target, flowIds, options, log);
        results.fanout.push(...rows);
        results.fanoutConnects.push(...connects);
      }
    }
    // Socket.IO has no bound on what it buffers per socket: stop it, so that it cannot keep the CPU busy during the end-to-end run.
    await Promise.all(peers.map((p) => p.stop()));
  }

  if (options.scenarios.includes('e2e') && options.systems.includes('tributary')) {
    await settle();
    log(`-- end to end: ${options.e2eConcurrency} posts in flight for ${options.e2eSeconds} s, REST then WebSocket, ${options.e2eSubscribers} subscribers`);
    results.e2e.push(...(await runE2e(stack, options, log)));
  }
}

/** Runs the benchmark; resolves with the exit code. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  handleHelpAndUnknown(argv, 'npm run bench', 'Memory per idle connection, fan-out and end to end: Tributary beside Socket.IO and the ceiling peer, in one run (docs/benchmarks.md).', BENCH_FLAGS);
  const options = readOptions(argv);
  const { databaseUrl: _db, redisUrl: _redis, ...shown } = options;
  const results: BenchResults = { machine: machine(), startedAt: new Date().toISOString(), options: shown, memory: [], fanout: [], fanoutConnects: [], e2e: [] };
  const cleanup: (() => Promise<void>)[] = [];
  let cleaned: Promise<void> | null = null;
  const stopAll = () =>
    (cleaned ??= (async () => {
      for (const step of cleanup.reverse()) await step().catch((err: unknown) => log(`cleanup: ${String(err)}`));
      await killAllChildren();
    })());
  process.on('exit', killAllChildrenNow);
  const abort = (why: string, code: number) => {
    log(`${why}: stopping everything`);
    // Whatever is stuck, the process ends: children are killed on 'exit' at the latest.
    setTimeout(() => process.exit(code), 15_000).unref();
    void stopAll().finally(() => {
      if (results.fanout.length || results.memory.length || results.e2e.length) process.stdout.write(`\nPartial results:\n\n${renderReport(results)}\n`);
      process.exit(code);
    });
  };
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  const timer = setTimeout(() => abort(`time limit of ${options.timeoutSeconds} s reached`, 2), options.timeoutSeconds * 1000);
  timer.unref();

  let code = 0;
  try {
    await run(options, results, cleanup);
  } catch (error) {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    code = 1;
  } finally {
    await stopAll();
    clearTimeout(timer);
  }
  process.stdout.write(`\n${renderReport(results)}\n`);
  if (options.jsonPath) {
    writeFileSync(options.jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    log(`results written to ${options.jsonPath}`);
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return code;
}
