/**
 * `--help` and unknown arguments for the benchmark scripts, as command lines do (git, npm): usage on
 * stdout and exit 0; an unknown argument named on stderr, exit 2 — never a silent full run.
 */

export interface FlagDoc {
  /** As typed, with a sample value: `--n=1000,10000`. */
  flag: string;
  help: string;
}

/** How the Tributary stack is laid out (bench/stack.ts); `npm run bench` and `npm run bench:ingest` take them. */
export const STACK_FLAGS: readonly FlagDoc[] = [
  { flag: '--backends=1', help: 'message-backend processes; the shards are split between them by their leases' },
  { flag: '--shards=4', help: 'queue shards (SHARDS); at least --backends' },
];

/** The flags of `npm run bench` (bench/options.ts reads them; BENCH_* variables are their defaults). */
export const BENCH_FLAGS: readonly FlagDoc[] = [
  { flag: '--quick', help: 'a ~1-minute smoke run (BENCH_QUICK=1)' },
  { flag: '--only=memory,fanout,e2e', help: 'the scenarios to run' },
  { flag: '--systems=tributary,socketio,ceiling', help: 'the servers to measure, side by side' },
  { flag: '--n=1000,10000', help: 'fan-out subscriber counts' },
  { flag: '--per-flow=100', help: 'subscribers per flow' },
  { flag: '--nodes=1', help: 'streaming nodes (and Socket.IO nodes) the fan-out clients connect to' },
  { flag: '--flows=100', help: 'flows seeded for the fan-out' },
  { flag: '--repeat=1', help: 'fan-out runs per system, interleaved; the report gives median [min–max]' },
  { flag: '--rates=1000,5000,10000,20000', help: 'publish rates, events/s across all flows' },
  { flag: '--phase=4', help: 'seconds of publishing per rate' },
  { flag: '--drain=15', help: 'longest wait, after publishing, for deliveries under way' },
  { flag: '--clients=2', help: 'load-generator worker processes' },
  { flag: '--memory=10000', help: 'idle connections of the memory scenario' },
  { flag: '--e2e-subscribers=200', help: 'subscribers of the end-to-end scenario' },
  { flag: '--e2e-flows=4', help: 'flows of the end-to-end scenario' },
  { flag: '--e2e-seconds=5', help: 'seconds of posting per transport' },
  { flag: '--e2e-concurrency=16', help: 'posts in flight' },
  { flag: '--users=10', help: 'posting users' },
  ...STACK_FLAGS,
  { flag: '--timeout=600', help: 'seconds before the whole run is stopped' },
  { flag: '--json=FILE', help: 'also write the results as JSON' },
  { flag: '--profile=DIR', help: "write V8 CPU profiles of Tributary's processes here" },
];

/** Exits when `argv` asks for help (0) or holds an argument `flags` does not name (2); returns otherwise. */
export function handleHelpAndUnknown(argv: readonly string[], command: string, summary: string, flags: readonly FlagDoc[]): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage(command, summary, flags));
    process.exit(0);
  }
  const known = new Set(flags.map((f) => f.flag.replace(/=.*$/, '')));
  for (const arg of argv) {
    const name = /^--[a-z0-9-]+/.exec(arg)?.[0];
    if (name && known.has(name)) continue;
    process.stderr.write(`${command}: unknown argument ${arg}; see \`${command} -- --help\`\n`);
    process.exit(2);
  }
}

function usage(command: string, summary: string, flags: readonly FlagDoc[]): string {
  const width = Math.max(0, ...flags.map((f) => f.flag.length));
  const lines = flags.map((f) => `  ${f.flag.padEnd(width)}  ${f.help}`);
  return `usage: ${command}${flags.length ? ' -- [flags]' : ''}\n\n${summary}\n${flags.length ? `\nflags:\n${lines.join('\n')}\n` : ''}`;
}
