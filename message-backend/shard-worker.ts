/**
 * ShardWorker: the message backend's one loop. It owns queue shards through leases, reads every
 * ready shard in one blocking call (so an idle system flushes each message at once and a busy one
 * gets whole batches), and hands every shard's batch to the ShardBatchWriter at once (ADR 024). Shards fail alone: a
 * shard whose writes fail for a transient reason backs off while the others go on, and an entry
 * the store refuses for good is set aside as a dead letter instead of being retried forever.
 */
import { FencedOffError } from '../core/errors';
import type { Log } from '../core/log';
import type { Metrics } from '../core/metrics';
import type { MessageStore } from '../core/ports/message-store';
import type { ShardLeases } from '../core/ports/shard-lease';
import type { QueueEntry, WorkQueue } from '../core/ports/work-queue';
import { DeadLetterSink } from './dead-letter-sink';
import type { Publisher } from './publisher';
import { sampleQueueGauges } from './queue-gauges';
import { Sequencer } from './sequencer';
import { ShardBackoff } from './shard-backoff';
import type { MentionRecorder } from './mention-recorder';
import { ShardBatchWriter, type ShardPosition } from './shard-batch-writer';
import { describeWriteError } from './write-failure';

export interface ShardWorkerOptions {
  shardCount: number;
  /** Most entries taken from one shard per read: the largest batch. */
  maxBatch: number;
  /** How long one read waits for new entries. */
  blockMs: number;
  /** How often unowned shards are tried. */
  leaseRetryMs: number;
  /** Times an entry the store refuses is written alone before it becomes a dead letter. */
  maxAttempts: number;
  /** Wait before an entry's second lone attempt, doubled for each further one. */
  attemptDelayMs: number;
  /** First and longest wait of a shard whose store writes fail for a transient reason. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How often queue depth and the dead-letter count are sampled into their gauges. */
  gaugeSampleMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ShardWorker {
  private readonly owned = new Map<number, ShardPosition>();
  private readonly sequencer: Sequencer;
  private readonly writer: ShardBatchWriter;
  private readonly backoff: ShardBackoff;
  private running: Promise<void> | null = null;
  private stopping = false;
  private lastLeaseRound = 0;
  private lastGaugeSample = 0;

  constructor(
    private readonly deps: { queue: WorkQueue; store: MessageStore; leases: ShardLeases; publisher: Publisher; metrics: Metrics; log: Log; mentions?: MentionRecorder },
    private readonly options: ShardWorkerOptions,
  ) {
    this.sequencer = new Sequencer(deps.store);
    this.backoff = new ShardBackoff({ baseMs: options.backoffBaseMs, maxMs: options.backoffMaxMs });
    const deadLetters = new DeadLetterSink(deps);
    this.writer = new ShardBatchWriter({ ...deps, sequencer: this.sequencer, deadLetters }, options);
    deps.leases.onLost((shard) => this.leasesOnLost(shard));
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Finishes the batch in hand, then gives up every lease. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    for (const { lease } of this.owned.values()) await this.deps.leases.release(lease).catch(() => undefined);
    this.owned.clear();
    this.deps.metrics.shardsOwned.set(0);
  }

  ownedShards(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  private leasesOnLost(shard: number): void {
    this.backoff.forget(shard);
    if (this.owned.delete(shard) && !this.stopping) {
      this.sequencer.clear();
      this.deps.log.warn({ shard }, 'shard lease lost');
      this.deps.metrics.shardsOwned.set(this.owned.size);
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.acquireShards();
        await this.sampleGauges();
        const ready = [...this.owned.values()].filter((p) => this.backoff.ready(p.shard));
        // Never wait past the moment a backed-off shard may be retried.
        const waitMs = Math.min(this.options.blockMs, this.backoff.nextRetryIn());
        if (ready.length === 0) {
          await sleep(Math.min(this.owned.size ? waitMs : this.options.leaseRetryMs, this.options.leaseRetryMs));
          continue;
        }
        const after = new Map(ready.map((p) => [p.shard, p.cursor]));
        const read = await this.deps.queue.read(after, this.options.maxBatch, waitMs);
        // Shards are written concurrently, each on its own connection: their commits share WAL
        // flushes (Postgres's group commit) instead of waiting for one sync per small batch in
        // turn. Safe because shards share nothing: a conversation lives in one shard, so the
        // sequencer's entries never race, and each batch is fenced by its own shard's token.
        const batches = [...read].filter(([shard, entries]) => entries.length && this.owned.has(shard));
        await Promise.all(batches.map(([shard, entries]) => this.process(shard, entries)));
      } catch (err) {
        // Only reading the queue or taking leases gets here; shard writes fail per shard below.
        this.deps.log.error({ err }, 'backend loop error; retrying');
        await sleep(250);
      }
    }
  }

  private async acquireShards(): Promise<void> {
    if (Date.now() - this.lastLeaseRound < this.options.leaseRetryMs || this.owned.size === this.options.shardCount) return;
    this.lastLeaseRound = Date.now();
    const acquired: number[] = [];
    for (let shard = 0; shard < this.options.shardCount; shard++) {
      if (this.owned.has(shard)) continue;
      const lease = await this.deps.leases.tryAcquire(shard);
      if (!lease) continue;
      // A shard that changed hands may have numbered messages elsewhere: cached ids are stale.
      this.sequencer.clear();
      this.owned.set(shard, { shard, lease, cursor: null });
      acquired.push(shard);
    }
    if (acquired.length) this.deps.log.info({ shards: acquired, owned: this.owned.size }, 'shards acquired');
    this.deps.metrics.shardsOwned.set(this.owned.size);
  }

  private async sampleGauges(): Promise<void> {
    if (Date.now() - this.lastGaugeSample < this.options.gaugeSampleMs) return;
    this.lastGaugeSample = Date.now();
    await sampleQueueGauges(this.deps.queue, this.deps.metrics, this.ownedShards());
  }

  /** One shard's batch; whatever goes wrong stays with this shard. */
  private async process(shard: number, entries: QueueEntry[]): Promise<void> {
    const position = this.owned.get(shard)!;
    try {
      await this.writer.persist(position, entries);
      this.backoff.succeeded(shard);
    } catch (err) {
      this.sequencer.clear();
      if (err instanceof FencedOffError) {
        this.deps.log.warn({ shard }, 'fenced off: another worker owns this shard now');
        this.owned.delete(shard);
        this.backoff.forget(shard);
        this.deps.metrics.shardsOwned.set(this.owned.size);
        return;
      }
      const retryInMs = this.backoff.failed(shard);
      this.deps.log.warn({ shard, err: describeWriteError(err), retryInMs }, 'shard write failed; this shard backs off, the others go on');
    }
  }
}
