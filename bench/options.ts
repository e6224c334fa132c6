/** Benchmark options from BENCH_* environment variables or --flags (flags win); BENCH_QUICK=1 / --quick picks a ~1-minute smoke run. */

export type Scenario = 'memory' | 'fanout' | 'e2e';
export type System = 'tributary' | 'socketio' | 'ceiling';
const SYSTEMS: readonly System[] = ['tributary', 'socketio', 'ceiling'];

export interface BenchOptions {
  quick: boolean;
  scenarios: Scenario[];
  systems: System[];
  /** Subscriber counts of the fan-out runs, ascending. */
  fanoutSizes: number[];
  /** Flows seeded for the fan-out (each subscriber watches one). */
  flows: number;
  /** Subscribers per flow: N subscribers watch the first N / perFlow flows (1 000 → 10 flows, 10 000 → 100). */
  perFlow: number;
  /** Fan-out runs per system, interleaved (tributary, socketio, ceiling, tributary, ...); the report gives median [min–max]. */
  repeat: number;
  /** Publish rates (events/s across all flows), ascending. */
  rates: number[];
  phaseSeconds: number;
  /** Longest wait, after publishing stopped, for the deliveries still under way. */
  drainSeconds: number;
  clientWorkers: number;
  /** Streaming nodes (and Socket.IO nodes) the fan-out and memory clients connect to. */
  fanoutNodes: number;
  /** Streaming-api processes started (the e2e run spreads subscribers over all of them). */
  streamingNodes: number;
  /** Message-backend processes started; the shards are split between them (bench/backends.ts). */
  backends: number;
  /** Queue shards (SHARDS of every service). */
  shards: number;
  memoryConnections: number;
  e2eSubscribers: number;
  e2eFlows: number;
  e2eSeconds: number;
  e2eConcurrency: number;
  users: number;
  timeoutSeconds: number;
  /** Write V8 CPU profiles of the Tributary processes here (node --cpu-prof), for finding hot spots. */
  profileDir: string | null;
  /** Write the results as JSON here too. */
  jsonPath: string | null;
  databaseUrl: string;
  redisUrl: string;
}

function flagsOf(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg} (flags look like --n=1000,10000)`);
    flags.set(m[1]!, m[2] ?? '1');
  }
  return flags;
}

/** "1,4,8" → [1, 4, 8]; throws naming the flag on anything but positive integers. */
export const ints = (s: string, name: string): number[] =>
  s.split(',').map((x) => {
    const n = Number(x.trim());
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: "${x}" is not a positive integer`);
    return n;
  });

export function readOptions(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const flags = flagsOf(argv);
  const get = (flag: string, envName: string): string | undefined => flags.get(flag) ?? env[envName];
  const quick = ['1', 'true', 'yes'].includes(get('quick', 'BENCH_QUICK') ?? '');
  const num = (flag: string, envName: string, full: number, smoke: number): number => {
    const v = get(flag, envName);
    return v === undefined ? (quick ? smoke : full) : ints(v, `--${flag}`)[0]!;
  };
  const list = (flag: string, envName: string, full: string, smoke: string): number[] =>
    ints(get(flag, envName) ?? (quick ? smoke : full), `--${flag}`).sort((a, b) => a - b);
  const scenarios = (get('only', 'BENCH_ONLY') ?? 'memory,fanout,e2e').split(',').map((s) => s.trim()) as Scenario[];
  for (const s of scenarios) if (!['memory', 'fanout', 'e2e'].includes(s)) throw new Error(`--only: unknown scenario ${s}`);
  const systems = (get('systems', 'BENCH_SYSTEMS') ?? SYSTEMS.join(',')).split(',').map((s) => s.trim()) as System[];
  for (const s of systems) if (!SYSTEMS.includes(s)) throw new Error(`--systems: unknown system ${s}`);
  const fanoutSizes = list('n', 'BENCH_N', '1000,10000', '200,1000');
  const perFlow = num('per-flow', 'BENCH_PER_FLOW', 100, 20);
  const fanoutNodes = num('nodes', 'BENCH_NODES', 1, 1);
  return {
    quick,
    scenarios,
    systems,
    fanoutSizes,
    flows: num('flows', 'BENCH_FLOWS', Math.ceil(fanoutSizes.at(-1)! / perFlow), Math.ceil(fanoutSizes.at(-1)! / perFlow)),
    perFlow,
    repeat: num('repeat', 'BENCH_REPEAT', 1, 1),
    rates: list('rates', 'BENCH_RATES', '1000,5000,10000,20000', '200,1000'),
    phaseSeconds: num('phase', 'BENCH_PHASE_S', 4, 2),
    drainSeconds: num('drain', 'BENCH_DRAIN_S', 15, 5),
    clientWorkers: num('clients', 'BENCH_CLIENTS', 2, 2),
    fanoutNodes,
    streamingNodes: Math.max(2, fanoutNodes),
    backends: num('backends', 'BENCH_BACKENDS', 1, 1),
    shards: num('shards', 'BENCH_SHARDS', 4, 4),
    memoryConnections: num('memory', 'BENCH_MEMORY_CONNS', 10000, 1000),
    e2eSubscribers: num('e2e-subscribers', 'BENCH_E2E_SUBSCRIBERS', 200, 40),
    e2eFlows: num('e2e-flows', 'BENCH_E2E_FLOWS', 4, 2),
    e2eSeconds: num('e2e-seconds', 'BENCH_E2E_S', 5, 2),
    e2eConcurrency: num('e2e-concurrency', 'BENCH_E2E_CONCURRENCY', 16, 16),
    users: num('users', 'BENCH_USERS', 10, 4),
    timeoutSeconds: num('timeout', 'BENCH_TIMEOUT_S', 600, 240),
    jsonPath: get('json', 'BENCH_JSON') ?? null,
    profileDir: get('profile', 'BENCH_PROFILE') ?? null,
    databaseUrl: env.BENCH_DATABASE_URL ?? env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.BENCH_REDIS_URL ?? env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}
