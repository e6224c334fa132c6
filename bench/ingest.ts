/**
 * `npm run bench:ingest`: the write path beside its ceiling, in one run. Starts Tributary in full
 * mode and an express-hello peer (express 5, the same JSON body parser, 201 and nothing behind it),
 * then, in `--rounds` interleaved rounds: REST and WebSocket posts paced at `--rate` posts/s (ack
 * p50/p99 on a calm system), and at saturation (`--outstanding` posts always in flight) beside the
 * peer's REST ceiling. Prints median [min–max] over the rounds. Flags: see {@link ingestOptions}.
 */
import { BENCH_FLAGS, type FlagDoc, handleHelpAndUnknown, STACK_FLAGS } from './cli-flags';
import { readOptions } from './options';
import { startExpressHello } from './express-hello-peer';
import { type Load, type LoadOutcome, postgresRoundTrips, redisRoundTrips, restLoad, type Target, webSocketLoad } from './ingest-load';
import { type CpuPart, processesNamed } from './cpu-budget';
import { describeSample, measureLoad, type Sample } from './load-phase';
import { runAsScript, timestampedLog } from './script';
import { startTributary } from './stack';
import { fmtInt, fmtMs, median, spread, table } from './stats';

const log = timestampedLog();

function ingestOptions(argv: string[]) {
  const base = readOptions(argv);
  const flag = (name: string, fallback: number) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`));
    const n = arg ? Number(arg.slice(name.length + 3)) : fallback;
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name}: not a positive integer`);
    return n;
  };
  return {
    // 16 flows and 16 posting users, as the issue measured; no fan-out flows, one streaming node.
    stack: { ...base, flows: 1, e2eFlows: flag('flows', 16), users: flag('users', 16), streamingNodes: 1 },
    rounds: flag('rounds', base.quick ? 1 : 3),
    warmUpSeconds: base.quick ? 1 : 3,
    seconds: flag('seconds', base.quick ? 3 : 6),
    rate: flag('rate', 100),
    outstanding: flag('outstanding', 64),
    /** WebSocket connections the outstanding posts are spread over. */
    wsConnections: flag('ws-connections', 4),
    phases: phasesOption(argv),
  };
}

const PHASES = ['redis-paced', 'postgres-paced', 'commit-paced', 'hello-rest-paced', 'rest-paced', 'ws-paced', 'hello-rest-saturated', 'rest-saturated', 'ws-saturated'] as const;
type Phase = (typeof PHASES)[number];

/** `--phases=rest-paced,ws-paced`: run only these (a profile of one phase, say); all by default. */
function phasesOption(argv: string[]): ReadonlySet<Phase> {
  const arg = argv.find((a) => a.startsWith('--phases='));
  if (!arg) return new Set(PHASES);
  const names = arg.slice('--phases='.length).split(',');
  const unknown = names.filter((n) => !(PHASES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`--phases: unknown phase ${unknown.join(', ')}; the phases are ${PHASES.join(', ')}`);
  return new Set(names as Phase[]);
}

/**
 * What the hops alone cost a paced post's acknowledgement on a warm path: the HTTP round trip (the
 * express-hello peer's), one durable Postgres commit (the backend's batch statement with its WAL
 * flush; the edge admits the member from its cache: ADR 035) and two Redis round trips (the queue
 * append reaching the backend's waiting read, the reply reaching the edge's subscription). A model
 * from medians measured in the same run, not a bound: a post's work between the hops comes on top.
 */
function roundTripFloor(samples: Map<Phase, Sample[]>): string | null {
  const p50 = (phase: Phase) => median((samples.get(phase) ?? []).map((s) => s.p50));
  const [http, commit, redis] = [p50('hello-rest-paced'), p50('commit-paced'), p50('redis-paced')];
  if ([http, commit, redis].some(Number.isNaN)) return null;
  const floor = http + commit + 2 * redis;
  return `Round-trip floor of a paced post (p50s): HTTP ${fmtMs(http)} + Postgres commit ${fmtMs(commit)} + 2 × Redis ${fmtMs(redis)} = ${fmtMs(floor)} ms`;
}

/**
 * Milliseconds of CPU per acknowledged post, by process, median of the rounds: what a saturated
 * rate is bounded by when every part shares the same cores (rate ≈ busy cores ÷ total).
 */
function cpuBudgetTable(samples: Map<Phase, Sample[]>): string {
  const measured = [...samples].filter(([, s]) => Object.keys(s[0]?.cpuPerPost ?? {}).length > 0);
  const last = ['postgres', 'redis', 'load', 'other', 'total'];
  const names = [...new Set(measured.flatMap(([, s]) => Object.keys(s[0]!.cpuPerPost)))];
  const columns = [...names.filter((n) => !last.includes(n)), ...last.filter((n) => names.includes(n))];
  const cell = (values: number[]) => (values.length ? median(values).toFixed(3) : '');
  const rows = measured.map(([phase, s]) => [phase, ...columns.map((c) => cell(s.map((x) => x.cpuPerPost[c]).filter((v): v is number => v !== undefined)))]);
  return `CPU per acknowledged post, ms (median of the rounds; other: the machine's busy time no listed process accounts for)\n${table([['phase', ...columns], ...rows])}`;
}

/** The flags `npm run bench:ingest` reads. */
const INGEST_FLAGS: readonly FlagDoc[] = [
  ...BENCH_FLAGS.filter((f) => ['--quick', '--profile=DIR'].includes(f.flag)),
  { flag: '--flows=16', help: 'flows posted to' },
  { flag: '--users=16', help: 'posting users' },
  ...STACK_FLAGS,
  { flag: '--rounds=3', help: 'interleaved rounds; the report gives median [min–max]' },
  { flag: '--seconds=6', help: 'seconds per phase' },
  { flag: '--rate=100', help: 'posts/s of the paced phases' },
  { flag: '--outstanding=64', help: 'posts in flight at saturation' },
  { flag: '--ws-connections=4', help: 'WebSocket connections the saturating posts are spread over' },
  { flag: `--phases=${PHASES.join(',')}`, help: 'the phases to run (one alone, to profile it)' },
];

export async function main(argv: string[]): Promise<number> {
  handleHelpAndUnknown(argv, 'npm run bench:ingest', 'REST and WebSocket posts, paced and saturated, beside an express-hello peer (docs/benchmarks.md).', INGEST_FLAGS);
  const options = ingestOptions(argv);
  log(`options: rounds ${options.rounds}, ${options.seconds} s per phase, paced ${options.rate} posts/s, saturated ${options.outstanding} in flight (WebSocket over ${options.wsConnections} connections), ${options.stack.e2eFlows} flows, ${options.stack.users} users, ${options.stack.shards} shards over ${options.stack.backends} backend(s)`);
  const stack = await startTributary(options.stack, log);
  const hello = await startExpressHello();
  log(`express-hello :${hello.port}`);
  const samples = new Map<Phase, Sample[]>();
  try {
    const target: Target = { port: stack.webApi.port, flows: stack.e2eFlows, tokens: stack.tokens };
    const helloTarget: Target = { ...target, port: hello.port };
    const wsUrl = `ws://127.0.0.1:${stack.streaming[0]!.port}/ws`;
    const tributaryPids = [stack.webApi, ...stack.backends, ...stack.streaming].map((s) => s.pid);
    const paced: Load = { kind: 'paced', rate: options.rate, seconds: options.seconds };
    const saturated: Load = { kind: 'saturate', outstanding: options.outstanding, seconds: options.seconds };
    // Every process of the machine a post's CPU goes to; Postgres and Redis are found again at each reading.
    const shared: CpuPart[] = [
      { name: 'postgres', pids: () => processesNamed('postgres') },
      { name: 'redis', pids: () => processesNamed('redis-server') },
      { name: 'load', pids: () => [process.pid] },
    ];
    const ours: CpuPart[] = [
      ...['web-api', 'message-backend', 'streaming-api'].map((name) => ({ name, pids: () => [stack.webApi, ...stack.backends, ...stack.streaming].filter((s) => s.name === name).map((s) => s.pid) })),
      ...shared,
    ];
    const peers: CpuPart[] = [{ name: 'express-hello', pids: () => [hello.pid] }, ...shared];
    const partsOf = (pids: number[]): CpuPart[] => (pids.length === 0 ? [] : pids.includes(hello.pid) ? peers : ours);
    const phases: [Phase, number[], () => Promise<LoadOutcome>][] = [
      // The hops alone, paced like the posts (no server process of ours is measured: CPU 0).
      ['redis-paced', [], () => redisRoundTrips(options.stack.redisUrl, paced)],
      ['postgres-paced', [], () => postgresRoundTrips(options.stack.databaseUrl, paced)],
      ['commit-paced', [], () => postgresRoundTrips(options.stack.databaseUrl, paced, 'commit')],
      ['hello-rest-paced', [hello.pid], () => restLoad(helloTarget, options.outstanding, paced)],
      ['rest-paced', tributaryPids, () => restLoad(target, options.outstanding, paced)],
      ['ws-paced', tributaryPids, () => webSocketLoad(wsUrl, target, options.wsConnections, paced)],
      ['hello-rest-saturated', [hello.pid], () => restLoad(helloTarget, options.outstanding, saturated)],
      ['rest-saturated', tributaryPids, () => restLoad(target, options.outstanding, saturated)],
      ['ws-saturated', tributaryPids, () => webSocketLoad(wsUrl, target, options.wsConnections, saturated)],
    ];
    // Warm-up, not measured: connections, prepared plans, the backend's id cache, and the JIT —
    // a few seconds at saturation, for both systems (with 1 s at 200/s, the first round's paced
    // posts cost Tributary's processes about twice the CPU of the later rounds').
    const warm: Load = { kind: 'saturate', outstanding: 16, seconds: options.warmUpSeconds };
    await restLoad(helloTarget, 16, warm);
    await restLoad(target, 16, warm);
    await webSocketLoad(wsUrl, target, options.wsConnections, warm);
    for (let round = 1; round <= options.rounds; round++) {
      for (const [phase, pids, run] of phases) {
        if (!options.phases.has(phase)) continue;
        const s = await measureLoad(pids, run, log, partsOf(pids));
        samples.set(phase, [...(samples.get(phase) ?? []), s]);
        log(`round ${round} ${phase}: ${describeSample(s)}`);
      }
    }
  } finally {
    await Promise.all([stack.stop(), hello.stop()]);
  }
  const of = (phase: Phase, pick: (s: Sample) => number) => (samples.get(phase) ?? []).map(pick);
  const rows: string[][] = [['phase', 'posts/s', 'ack p50 ms', 'ack p99 ms', 'failed', 'server CPU %', 'load CPU %', 'machine %']];
  for (const phase of samples.keys()) {
    rows.push([
      phase,
      spread(of(phase, (s) => s.postsPerSec), fmtInt),
      spread(of(phase, (s) => s.p50), fmtMs),
      spread(of(phase, (s) => s.p99), fmtMs),
      String(of(phase, (s) => s.failed).reduce((a, b) => a + b, 0)),
      spread(of(phase, (s) => s.serverCpu), fmtInt),
      spread(of(phase, (s) => s.loadCpu), fmtInt),
      spread(of(phase, (s) => s.machineBusy), fmtInt),
    ]);
  }
  const ceiling = of('hello-rest-saturated', (s) => s.postsPerSec);
  const ratio = (phase: Phase) => of(phase, (s) => s.postsPerSec).map((v, i) => v / ceiling[i]!);
  const pct = (n: number) => `${Math.round(100 * n)}%`;
  process.stdout.write(`\nWrite path, median [min–max] of ${options.rounds} interleaved rounds (paced: ${options.rate} posts/s; saturated: ${options.outstanding} in flight)\n${table(rows)}\n`);
  const floor = roundTripFloor(samples);
  if (floor) process.stdout.write(`${floor}\n`);
  if (ceiling.length && samples.has('rest-saturated') && samples.has('ws-saturated')) {
    process.stdout.write(`REST saturated / express-hello ceiling: ${spread(ratio('rest-saturated'), pct)}; WebSocket saturated / ceiling: ${spread(ratio('ws-saturated'), pct)}\n`);
  }
  process.stdout.write(`\n${cpuBudgetTable(samples)}\n`);
  return 0;
}

runAsScript(module, 'bench:ingest', main);
