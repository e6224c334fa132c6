/**
 * `npm run bench:failover`: ZooKeeper, three Redis nodes, the failover managers and Tributary in
 * full mode under a steady stream of posts; SIGKILLs the master a few times (a fresh setup each)
 * and prints time to the new master, time until writes succeed again, and messages lost, doubled
 * or not delivered to a WebSocket and an HTTP-stream reader connected throughout.
 */
import { handleHelpAndUnknown } from './cli-flags';
import { type FailoverRunResult, runFailover } from '../test/support/failover-run';
import { startFailoverScenario } from '../test/support/failover-scenario';
import { type Tally, tally } from '../test/support/flow-ledger';

interface RunFigures {
  driver: string;
  toNewMasterMs: number;
  toWritesMs: number;
  posts: number;
  /** Acknowledged posts not stored under their id, and uuids stored twice. */
  lost: number;
  duplicates: number;
  /** Per transport: stored messages a reader connected throughout did not receive, or received twice. */
  undelivered: Record<'ws' | 'http', number>;
  redelivered: Record<'ws' | 'http', number>;
}

function figures(driver: string, r: FailoverRunResult): RunFigures {
  const t = tally(r.acked, r.stored, r.readers);
  const per = (pick: (reader: Tally['readers'][number]) => number) => ({
    ws: t.readers.filter((x) => x.transport === 'ws').reduce((n, x) => n + pick(x), 0),
    http: t.readers.filter((x) => x.transport === 'http').reduce((n, x) => n + pick(x), 0),
  });
  return {
    driver,
    toNewMasterMs: r.toNewMasterMs,
    toWritesMs: r.toWritesMs,
    posts: t.acknowledged,
    lost: t.lost,
    duplicates: t.doubled,
    undelivered: per((x) => x.undelivered),
    redelivered: per((x) => x.repeated),
  };
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `min ${sorted[0]} ms, median ${median} ms, max ${sorted[sorted.length - 1]} ms`;
}

/** Runs the failovers; exit code 1 when any acknowledged message was lost, doubled or not delivered. */
export async function main(argv: string[]): Promise<number> {
  handleHelpAndUnknown(argv, 'npm run bench:failover', 'SIGKILLs the Redis master under load: time to a new master and to writes, and every acknowledged message accounted for.', [
    { flag: '--runs=3', help: 'failovers to run' },
  ]);
  const runs = Number(/^--runs=(\d+)$/.exec(argv.find((a) => a.startsWith('--runs=')) ?? '')?.[1] ?? 3);
  const all: RunFigures[] = [];
  for (let i = 1; i <= runs; i++) {
    const scenario = await startFailoverScenario({ managers: 3 });
    try {
      const result = await runFailover(scenario, { signal: 'SIGKILL', clients: 4, perClient: 50, killAfterAcked: 60 });
      const f = figures(`${scenario.managers.count} failover managers`, result);
      all.push(f);
      process.stdout.write(
        `run ${i}/${runs} (${f.driver}): new master in the znode ${f.toNewMasterMs} ms after the kill, writes succeed again after ${f.toWritesMs} ms; ` +
          `${f.posts} posts acknowledged, lost ${f.lost}, doubled ${f.duplicates}; ` +
          `WebSocket reader: undelivered ${f.undelivered.ws}, delivered twice ${f.redelivered.ws}; HTTP stream reader: undelivered ${f.undelivered.http}, delivered twice ${f.redelivered.http}\n`,
      );
    } finally {
      await scenario.stop();
    }
  }
  process.stdout.write(`\nRedis master SIGKILL, ${runs} runs (${all[0]?.driver}):\n`);
  process.stdout.write(`  kill → new master in the znode:  ${stats(all.map((f) => f.toNewMasterMs))}\n`);
  process.stdout.write(`  kill → writes succeed again:     ${stats(all.map((f) => f.toWritesMs))}\n`);
  const sum = (pick: (f: RunFigures) => number) => all.reduce((n, f) => n + pick(f), 0);
  const bad = sum((f) => f.lost + f.duplicates + f.undelivered.ws + f.undelivered.http + f.redelivered.ws + f.redelivered.http);
  process.stdout.write(`  acknowledged messages lost: ${sum((f) => f.lost)}, doubled: ${sum((f) => f.duplicates)}\n`);
  for (const transport of ['ws', 'http'] as const) {
    const name = transport === 'ws' ? 'WebSocket reader:  ' : 'HTTP stream reader:';
    process.stdout.write(`  ${name} undelivered ${sum((f) => f.undelivered[transport])}, delivered twice ${sum((f) => f.redelivered[transport])}\n`);
  }
  return bad === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench:failover: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
