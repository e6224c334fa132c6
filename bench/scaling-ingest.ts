/** Scaling, write path: saturated REST posts (each 201 = persisted) with the queue split into S shards owned by B message-backends, one fresh stack per layout. */
import { flowConversation } from '../core/domain/types';
import { shardOf } from '../core/messaging/shards';
import { restLoad, type Target } from './ingest-load';
import { describeSample, measureLoad, type Sample } from './load-phase';
import type { BenchOptions } from './options';
import { postgresBetween, readPostgres } from './postgres-probe';
import { cpuSecondsOf } from './processes';
import type { Log } from './script';
import { startTributary } from './stack';

export interface Layout {
  shards: number;
  backends: number;
}

export interface LayoutResult extends Layout {
  /** Shards the posted flows hash to (a shard no flow hashes to gets no posts). */
  shardsUsed: number;
  /** One per round: the system under test is web-api plus the backends. */
  samples: Sample[];
  /** Per round, % of one core: the backends alone (the rest of the sample's server CPU is the web-api's), and every Postgres process. */
  backendCpu: number[];
  postgresCpu: number[];
  /** Per round: posts acknowledged per WAL sync of the Postgres server (commits sharing flushes raise it). */
  postsPerWalSync: number[];
}

export interface IngestSweep {
  flows: number;
  users: number;
  rounds: number;
  seconds: number;
  outstanding: number;
}

/** Every shards × backends pair with at least as many shards as backends (a backend without a shard only waits), in the order given. */
export function layoutsOf(shardCounts: number[], backendCounts: number[]): Layout[] {
  return backendCounts.flatMap((backends) => shardCounts.filter((shards) => shards >= backends).map((shards) => ({ shards, backends })));
}

/** One saturated REST phase; the backends' and Postgres's CPU and the WAL syncs are read around the load alone, inside the phase measureLoad times. */
async function saturatedRound(target: Target, edgePids: number[], backendPids: number[], sweep: IngestSweep, databaseUrl: string, log: Log) {
  let backends = Number.NaN;
  let postgres = Number.NaN;
  let perSync = Number.NaN;
  const sample = await measureLoad([...edgePids, ...backendPids], async () => {
    const backends0 = cpuSecondsOf(backendPids);
    const postgres0 = await readPostgres(databaseUrl);
    const out = await restLoad(target, sweep.outstanding, { kind: 'saturate', outstanding: sweep.outstanding, seconds: sweep.seconds });
    const pg = postgresBetween(postgres0, await readPostgres(databaseUrl));
    backends = (100 * (cpuSecondsOf(backendPids) - backends0)) / out.seconds;
    postgres = (100 * pg.cpuSeconds) / out.seconds;
    perSync = out.acked / pg.walSyncs;
    return out;
  }, log);
  return { sample, backends, postgres, perSync };
}

/** Runs `sweep.rounds` saturated REST phases on each layout, one stack at a time (no streaming node: REST posts need none). */
export async function runLayoutsSweep(options: BenchOptions, layouts: Layout[], sweep: IngestSweep, log: Log): Promise<LayoutResult[]> {
  const results: LayoutResult[] = [];
  for (const layout of layouts) {
    log(`-- write path: ${layout.shards} shard${layout.shards > 1 ? 's' : ''}, ${layout.backends} message-backend${layout.backends > 1 ? 's' : ''}, ${sweep.outstanding} REST posts in flight for ${sweep.seconds} s × ${sweep.rounds}`);
    const stack = await startTributary({ ...options, ...layout, flows: 1, e2eFlows: sweep.flows, users: sweep.users, streamingNodes: 0 }, log);
    try {
      const target: Target = { port: stack.webApi.port, flows: stack.e2eFlows, tokens: stack.tokens };
      const shardsUsed = new Set(stack.e2eFlows.map((f) => shardOf(flowConversation(f.id), layout.shards))).size;
      const backendPids = stack.backends.map((b) => b.pid);
      const result: LayoutResult = { ...layout, shardsUsed, samples: [], backendCpu: [], postgresCpu: [], postsPerWalSync: [] };
      // Warm-up: connections, prepared statements, the backends' id caches; not measured.
      await restLoad(target, 8, { kind: 'paced', rate: 200, seconds: 1 });
      for (let round = 1; round <= sweep.rounds; round++) {
        const { sample, backends, postgres, perSync } = await saturatedRound(target, [stack.webApi.pid], backendPids, sweep, options.databaseUrl, log);
        result.samples.push(sample);
        result.backendCpu.push(backends);
        result.postgresCpu.push(postgres);
        result.postsPerWalSync.push(perSync);
        log(
          `${layout.shards}×${layout.backends} round ${round}: ${describeSample(sample)}; of which backends ${Math.round(backends)}%; Postgres ${Math.round(postgres)}%, ${perSync.toFixed(1)} posts per WAL sync`,
        );
      }
      results.push(result);
    } finally {
      await stack.stop();
    }
  }
  return results;
}
