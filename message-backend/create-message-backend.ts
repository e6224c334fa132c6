/** The message backend: a shard worker that persists queued commands and publishes them. */
import type { Log } from '../core/log';
import type { Metrics } from '../core/metrics';
import type { Bus } from '../core/ports/bus';
import type { MessageStore } from '../core/ports/message-store';
import type { ShardLeases } from '../core/ports/shard-lease';
import type { WorkQueue } from '../core/ports/work-queue';
import type { MentionRecorder } from './mention-recorder';
import { Publisher } from './publisher';
import { ShardWorker, type ShardWorkerOptions } from './shard-worker';

export interface MessageBackendDeps {
  queue: WorkQueue;
  store: MessageStore;
  bus: Bus;
  leases: ShardLeases;
  metrics: Metrics;
  log: Log;
  /** Records stored messages' mentions for the mention mails; absent in tests of the write path alone. */
  mentions?: MentionRecorder;
}

export interface MessageBackend {
  start(): void;
  stop(): Promise<void>;
  ownedShards(): number[];
}

export function createMessageBackend(deps: MessageBackendDeps, options: Partial<ShardWorkerOptions> & { shardCount: number }): MessageBackend {
  const worker = new ShardWorker(
    { ...deps, publisher: new Publisher(deps.bus) },
    {
      maxBatch: 500, blockMs: 1000, leaseRetryMs: 1000, maxAttempts: 3, attemptDelayMs: 50,
      backoffBaseMs: 100, backoffMaxMs: 10_000, gaugeSampleMs: 5000, ...options,
    },
  );
  return {
    start: () => worker.start(),
    stop: () => worker.stop(),
    ownedShards: () => worker.ownedShards(),
  };
}
