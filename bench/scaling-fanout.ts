/** Scaling, fan-out: the same subscribers and publish rates spread over 1, 2, 3 … streaming nodes of one stack. */
import { type FanoutConnectRow, type FanoutRow, runFanout, tributaryFanoutTarget } from './fanout';
import type { BenchOptions } from './options';
import { redisServerPid, waitForQuietMachine } from './processes';
import type { Log } from './script';
import { startTributary } from './stack';

export interface NodesRow extends FanoutRow {
  /** Streaming nodes the subscribers were spread over. */
  nodes: number;
  /** Time to subscribe every client from scratch over those nodes, ms. */
  subscribeMs: number;
}

/**
 * Starts one stack with max(`nodeCounts`) streaming nodes, then for each count runs the fan-out
 * (one subscriber size, `options.rates`) with the subscribers spread over the first that many nodes.
 * Connection i goes to node i mod k and watches flow i mod flows, so every node subscribes to every
 * flow: the Redis fan-in grows with nodes × flows, as it would behind a balancer.
 */
export async function runNodesSweep(options: BenchOptions, nodeCounts: number[], log: Log): Promise<NodesRow[]> {
  // The bench's few users hold thousands of connections each; the per-user cap (20) is for real users.
  const stack = await startTributary({ ...options, streamingNodes: Math.max(...nodeCounts), e2eFlows: 0 }, log, { STREAM_MAX_CONNECTIONS_PER_USER: '1000000' });
  const rows: NodesRow[] = [];
  try {
    const redisPid = redisServerPid();
    const flowIds = stack.flows.map((f) => f.id);
    for (const nodes of nodeCounts) {
      const busy = await waitForQuietMachine();
      if (busy > 25) log(`machine still ${Math.round(busy)}% busy after waiting 30 s (shared machine); measuring anyway`);
      const target = tributaryFanoutTarget(stack, stack.streaming.slice(0, nodes), options.redisUrl, redisPid);
      log(`-- fan-out over ${nodes} streaming node${nodes > 1 ? 's' : ''}: ${options.fanoutSizes.join(', ')} subscribers, ${options.perFlow} per flow, ${options.rates.join('/')} events/s for ${options.phaseSeconds} s each`);
      const { rows: measured, connects } = await runFanout(target, flowIds, options, log);
      rows.push(...measured.map((row) => ({ ...row, nodes, subscribeMs: subscribeMsOf(connects, row.subscribers) })));
    }
  } finally {
    await stack.stop();
  }
  return rows;
}

const subscribeMsOf = (connects: FanoutConnectRow[], subscribers: number): number => connects.find((c) => c.subscribers === subscribers)?.ms ?? Number.NaN;
