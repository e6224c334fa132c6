/**
 * `npm run bench:scaling`: how Tributary grows with processes on this machine (docs/scaling.md).
 * (a) Fan-out: one subscriber count over `--per-flow` per flow, spread over each of `--nodes`
 * streaming nodes in turn, at `--rates`: delivered events/s and CPU per delivery. (b) Write path:
 * saturated REST posts/s (201 = persisted) for every `--shards` × `--backends` layout. One table
 * each, beside the single-process figure, with the load generator's and the machine's CPU.
 */
import { writeFileSync } from 'node:fs';
import { BENCH_FLAGS, type FlagDoc, handleHelpAndUnknown } from './cli-flags';
import { type BenchOptions, ints, readOptions } from './options';
import { runNodesSweep } from './scaling-fanout';
import { type IngestSweep, layoutsOf, runLayoutsSweep } from './scaling-ingest';
import { renderLayoutsTable, renderNodesTable } from './scaling-report';
import { waitForQuietMachine } from './processes';
import { runAsScript, stopScript, timestampedLog } from './script';

const log = timestampedLog();

const PARTS = ['fanout', 'ingest'] as const;
type Part = (typeof PARTS)[number];

const pick = (flag: string) => BENCH_FLAGS.find((f) => f.flag.startsWith(`--${flag}=`) || f.flag === `--${flag}`)!;

/** The flags `npm run bench:scaling` reads; the shared ones keep `npm run bench`'s meaning. */
const SCALING_FLAGS: readonly FlagDoc[] = [
  { ...pick('quick'), help: 'a smoke run of about 1½ minutes: 2 000 subscribers, fewer rates, one short round per layout' },
  { flag: `--parts=${PARTS.join(',')}`, help: '(a) fan-out by nodes, (b) the write path by shards and backends' },
  { flag: '--nodes=1,2,3', help: '(a) streaming-node counts, measured one after another on one stack' },
  { flag: '--n=10000', help: '(a) subscribers (one count)' },
  { ...pick('per-flow'), help: '(a) subscribers per flow (10 000 / 100 = 100 flows)' },
  { flag: '--rates=2500,5000,10000', help: '(a) publish rates, events/s across all flows' },
  { flag: '--phase=3', help: '(a) seconds of publishing per rate' },
  { flag: '--drain=8', help: '(a) longest wait, after publishing, for deliveries under way' },
  pick('clients'),
  { flag: '--shards=1,4,8', help: '(b) shard counts (SHARDS)' },
  { flag: '--backends=1,2', help: '(b) message-backend counts; layouts with fewer shards than backends are skipped' },
  { flag: '--rounds=3', help: '(b) saturated rounds per layout; the table gives median [min–max]' },
  { flag: '--seconds=5', help: '(b) seconds per round' },
  { flag: '--outstanding=64', help: '(b) REST posts in flight' },
  { flag: '--post-flows=32', help: '(b) flows posted to (spread over the shards by hash)' },
  { flag: '--timeout=900', help: 'seconds before the whole run is stopped (300 with --quick)' },
  pick('json'),
];

function scalingOptions(argv: string[]) {
  const base = readOptions(argv);
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const list = (name: string, full: string, smoke: string) => [...new Set(ints(value(name) ?? (base.quick ? smoke : full), `--${name}`))];
  const one = (name: string, full: number, smoke: number) => list(name, String(full), String(smoke))[0]!;
  const only = (value('parts') ?? PARTS.join(',')).split(',') as Part[];
  for (const part of only) if (!PARTS.includes(part)) throw new Error(`--parts: unknown part ${part}; the parts are ${PARTS.join(', ')}`);
  const n = one('n', 10_000, 2_000);
  const perFlow = one('per-flow', 100, 20);
  const fanout: BenchOptions = {
    ...base, fanoutSizes: [n], perFlow, flows: Math.ceil(n / perFlow), users: 10,
    rates: list('rates', '2500,5000,10000', '1000,5000').sort((a, b) => a - b),
    phaseSeconds: one('phase', 3, 2), drainSeconds: one('drain', 8, 5),
  };
  const ingest: IngestSweep = {
    flows: one('post-flows', 32, 32), users: 16, rounds: one('rounds', 3, 1), seconds: one('seconds', 5, 3), outstanding: one('outstanding', 64, 64),
  };
  const layouts = layoutsOf(list('shards', '1,4,8', '1,4,8'), list('backends', '1,2', '1,2'));
  if (only.includes('ingest') && !layouts.length) throw new Error('--shards and --backends leave no layout with at least as many shards as backends');
  return {
    base, only, fanout, ingest, layouts,
    nodes: list('nodes', '1,2,3', '1,2,3'),
    timeoutSeconds: one('timeout', 900, 300),
  };
}

export async function main(argv: string[]): Promise<number> {
  handleHelpAndUnknown(argv, 'npm run bench:scaling', 'Fan-out by streaming nodes and persisted posts/s by shards and backends, each beside one process (docs/scaling.md).', SCALING_FLAGS);
  const options = scalingOptions(argv);
  log(
    `options: ${options.only.join(' and ')}; (a) ${options.fanout.fanoutSizes[0]} subscribers, ${options.fanout.perFlow} per flow, nodes ${options.nodes.join('/')}, ${options.fanout.rates.join('/')} events/s; ` +
      `(b) layouts ${options.layouts.map((l) => `${l.shards}×${l.backends}`).join(' ')} (shards×backends), ${options.ingest.rounds} × ${options.ingest.seconds} s at ${options.ingest.outstanding} in flight`,
  );
  const timer = setTimeout(() => stopScript(`time limit of ${options.timeoutSeconds} s reached`, 2, log), options.timeoutSeconds * 1000);
  timer.unref();
  const busy = await waitForQuietMachine(25, 5_000);
  if (busy > 25) log(`the machine is ${Math.round(busy)}% busy before the run: other work shares it, and the figures below pay for it`);
  const nodes = options.only.includes('fanout') ? await runNodesSweep(options.fanout, options.nodes, log) : [];
  const layouts = options.only.includes('ingest') ? await runLayoutsSweep(options.base, options.layouts, options.ingest, log) : [];
  clearTimeout(timer);
  process.stdout.write(`\n${[renderNodesTable(nodes), renderLayoutsTable(layouts, options.ingest.rounds, options.ingest.outstanding)].filter(Boolean).join('\n')}`);
  const json = options.base.jsonPath;
  if (json) {
    writeFileSync(json, `${JSON.stringify({ startedAt: new Date().toISOString(), nodes, layouts }, null, 2)}\n`);
    log(`results written to ${json}`);
  }
  return 0;
}

runAsScript(module, 'bench:scaling', main);
