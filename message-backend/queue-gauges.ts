/** Samples the queue's gauges: entries waiting per owned shard, and dead letters held. */
import type { Metrics } from '../core/metrics';
import type { WorkQueue } from '../core/ports/work-queue';

/**
 * Sets `tributary_queue_depth{shard}` for each shard given (and drops shards no longer given, so a
 * shard that moved to another worker is reported by that worker only) and `tributary_dead_letters`.
 */
export async function sampleQueueGauges(queue: WorkQueue, metrics: Metrics, shards: number[]): Promise<void> {
  const depths = await Promise.all(shards.map(async (shard) => [shard, await queue.depth(shard)] as const));
  metrics.queueDepth.reset();
  for (const [shard, depth] of depths) metrics.queueDepth.set({ shard: String(shard) }, depth);
  metrics.deadLettersHeld.set(await queue.deadLetterCount());
}
