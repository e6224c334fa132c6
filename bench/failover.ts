/**
 * `npm run bench:failover`: ZooKeeper, three Redis nodes, the failover managers and Tributary in
 * full mode under a steady stream of posts; SIGKILLs the master a few times (a fresh setup each)
 * and prints time to the new master, time until writes succeed again, and messages lost.
 */
import { type FailoverRunResult, runFailover } from '../test/support/failover-run';
import { startFailoverScenario } from '../test/support/failover-scenario';

interface RunFigures {
  driver: string;
  toNewMasterMs: number;
  toWritesMs: number;
  /** Acknowledged posts that are not stored, stored twice, or not delivered. */
  lost: number;
  duplicates: number;
  undelivered: number;
  posts: number;
}

function figures(driver: string, r: FailoverRunResult): RunFigures {
  const storedUuids = new Set(r.stored.map((m) => m.uuid));
  const deliveredIds = new Set(r.delivered);
  return {
    driver,
    toNewMasterMs: r.toNewMasterMs,
    toWritesMs: r.toWritesMs,
    lost: [...r.acked.keys()].filter((uuid) => !storedUuids.has(uuid)).length,
    duplicates: r.stored.length - storedUuids.size + (r.delivered.length - deliveredIds.size),
    undelivered: r.stored.filter((m) => !deliveredIds.has(m.id)).length,
    posts: r.acked.size,
  };
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `min ${sorted[0]} ms, median ${median} ms, max ${sorted[sorted.length - 1]} ms`;
}

/** Runs the failovers; exit code 1 when any acknowledged message was lost, doubled or not delivered. */
export async function main(argv: string[]): Promise<number> {
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
          `${f.posts} posts acknowledged, lost ${f.lost}, doubled ${f.duplicates}, undelivered ${f.undelivered}\n`,
      );
    } finally {
      await scenario.stop();
    }
  }
  process.stdout.write(`\nRedis master SIGKILL, ${runs} runs (${all[0]?.driver}):\n`);
  process.stdout.write(`  kill → new master in the znode:  ${stats(all.map((f) => f.toNewMasterMs))}\n`);
  process.stdout.write(`  kill → writes succeed again:     ${stats(all.map((f) => f.toWritesMs))}\n`);
  const bad = all.reduce((n, f) => n + f.lost + f.duplicates + f.undelivered, 0);
  process.stdout.write(`  acknowledged messages lost: ${all.reduce((n, f) => n + f.lost, 0)}, doubled: ${all.reduce((n, f) => n + f.duplicates, 0)}, undelivered: ${all.reduce((n, f) => n + f.undelivered, 0)}\n`);
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
