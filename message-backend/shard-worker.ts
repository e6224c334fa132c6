/**
 * ShardWorker: the message backend. Its loop owns queue shards through leases and reads every idle
 * shard in one blocking call (so an idle system flushes each message at once and a busy one gets
 * whole batches). Each shard's batch starts that shard's own pipeline (ADR 031): it is persisted,
 * and as soon as it is released the shard is read again, while other shards are still committing;
 * a shard never has two batches in flight. Shards commit concurrently, so their commits share WAL
 * flushes (ADR 024). Shards fail alone: a shard whose writes fail for a transient reason backs off
 * while the others go on, and an entry the store refuses for good is set aside as a dead letter
 * instead of being retried forever.
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
import { pause, Wakeup } from './wakeup';
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

export class ShardWorker {
  private readonly owned = new Map<number, ShardPosition>();
  private readonly sequencer: Sequencer;
  private readonly writer: ShardBatchWriter;
  private readonly backoff: ShardBackoff;
  /** Each shard's pipeline while it has a batch in flight; the loop does not read these shards. */
  private readonly pipelines = new Map<number, Promise<void>>();
  private readonly wakeup = new Wakeup();
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
    this.wakeup.wake();
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
      // Taken first: a pipeline that ends from here on wakes this round's wait.
      const woken = this.wakeup.round();
      try {
        await this.acquireShards();
        await this.sampleGauges();
        const idle = [...this.owned.values()].filter((p) => !this.pipelines.has(p.shard) && this.backoff.ready(p.shard));
        // Never wait past the moment a backed-off shard may be retried.
        const waitMs = Math.min(this.options.blockMs, this.backoff.nextRetryIn());
        if (idle.length === 0) {
          await pause(Math.min(this.owned.size ? waitMs : this.options.leaseRetryMs, this.options.leaseRetryMs), woken);
          continue;
        }
        const read = await this.deps.queue.read(new Map(idle.map((p) => [p.shard, p.cursor])), this.options.maxBatch, waitMs, woken);
        for (const [shard, entries] of read) {
          const position = this.owned.get(shard);
          if (entries.length && position && !this.pipelines.has(shard)) this.startPipeline(position, entries);
        }
      } catch (err) {
        // Only reading the queue or taking leases gets here; shard writes fail per shard below.
        this.deps.log.error({ err }, 'backend loop error; retrying');
        await pause(250, woken);
      }
    }
    await Promise.all(this.pipelines.values()); // finish the batches in hand
  }

  /**
   * Runs one shard's batches one after another: each is persisted, then the shard is read again at
   * once (without waiting) rather than waiting for the loop's next read, which may be held by a
   * slower shard's commit. The pipeline ends when the shard has nothing more, fails, or is lost;
   * the loop then reads it with the others again. Pipelines of different shards run concurrently,
   * each on its own pool connection. Safe because shards share nothing: a conversation lives in
   * one shard, so the sequencer's entries never race, and each batch is fenced by its own shard's token.
   */
  private startPipeline(position: ShardPosition, first: QueueEntry[]): void {
    const { shard } = position;
    const run = async (): Promise<void> => {
      let entries = first;
      // The same position object: a lease lost and taken again meanwhile is a new position, read afresh by the loop.
      while (entries.length && !this.stopping && (await this.process(position, entries)) && this.owned.get(shard) === position) {
        entries = (await this.deps.queue.read(new Map([[shard, position.cursor]]), this.options.maxBatch, 0)).get(shard) ?? [];
      }
    };
    const pipeline = run()
      .catch((err: unknown) => this.deps.log.error({ err, shard }, 'shard pipeline error; the loop reads this shard again'))
      .finally(() => {
        this.pipelines.delete(shard);
        this.wakeup.wake();
      });
    this.pipelines.set(shard, pipeline);
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

  /** One shard's batch; whatever goes wrong stays with this shard. True when it was all stored or set aside. */
  private async process(position: ShardPosition, entries: QueueEntry[]): Promise<boolean> {
    const { shard } = position;
    try {
      await this.writer.persist(position, entries);
      this.backoff.succeeded(shard);
      return true;
    } catch (err) {
      this.sequencer.clear();
      if (err instanceof FencedOffError) {
        this.deps.log.warn({ shard }, 'fenced off: another worker owns this shard now');
        if (this.owned.get(shard) === position) this.owned.delete(shard);
        this.backoff.forget(shard);
        this.deps.metrics.shardsOwned.set(this.owned.size);
        return false;
      }
      const retryInMs = this.backoff.failed(shard);
      this.deps.log.warn({ shard, err: describeWriteError(err), retryInMs }, 'shard write failed; this shard backs off, the others go on');
      return false;
    }
  }
}
