/**
 * ShardWorker: the message backend. It owns queue shards through leases, and each owned shard has
 * its own loop (ADR 031): a blocking read of that shard alone, then its batch persisted, released,
 * and the next read at once. An idle shard costs one waiting read and nothing else; a busy one
 * reads its next batch as soon as the last is released, and a slow shard holds no other back.
 * Shards commit concurrently, so their commits share WAL flushes (ADR 024). Shards fail alone: a
 * shard whose writes fail for a transient reason backs off in its own loop while the others go on,
 * and an entry the store refuses for good is set aside as a dead letter instead of being retried
 * forever. A periodic task takes free shards (starting their loops) and samples the queue gauges.
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
import { pause } from './pause';
import { describeWriteError } from './write-failure';

export interface ShardWorkerOptions {
  shardCount: number;
  /** Most entries taken from one shard per read: the largest batch. */
  maxBatch: number;
  /** How long one shard's read waits for new entries before it is issued again. */
  blockMs: number;
  /** How often unowned shards are tried (the periodic task's period, or gaugeSampleMs if shorter). */
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

/** Wait after a shard's read failed (Redis unreachable, mid-failover) before it is read again. */
const READ_RETRY_MS = 250;

export class ShardWorker {
  private readonly owned = new Map<number, ShardPosition>();
  private readonly sequencer: Sequencer;
  private readonly writer: ShardBatchWriter;
  private readonly backoff: ShardBackoff;
  /** Every shard loop still running; a loop of a lost shard may outlive its lease by one read. */
  private readonly loops = new Set<Promise<void>>();
  /** Aborted by stop(): ends every waiting read and pause at once. */
  private readonly stopping = new AbortController();
  private running: Promise<void> | null = null;
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
    this.running ??= this.tend();
  }

  /** Finishes every shard's batch in hand, then gives up every lease. */
  async stop(): Promise<void> {
    this.stopping.abort();
    // The periodic task first: a lease it takes meanwhile is in `owned` when it ends, and released below.
    await this.running;
    await Promise.all(this.loops);
    for (const { lease } of this.owned.values()) await this.deps.leases.release(lease).catch(() => undefined);
    this.owned.clear();
    this.deps.metrics.shardsOwned.set(0);
  }

  ownedShards(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  private leasesOnLost(shard: number): void {
    this.backoff.forget(shard);
    // The shard's loop sees its position gone after its read in hand, and ends without using what it read.
    if (this.owned.delete(shard) && !this.stopping.signal.aborted) {
      this.sequencer.clear();
      this.deps.log.warn({ shard }, 'shard lease lost');
      this.deps.metrics.shardsOwned.set(this.owned.size);
    }
  }

  /** The periodic task: takes free shards, each starting its own loop, and samples the queue gauges. */
  private async tend(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      try {
        await this.acquireShards();
        await this.sampleGauges();
      } catch (err) {
        // Only taking leases or sampling gauges gets here; the shards' loops go on meanwhile.
        this.deps.log.error({ err }, 'lease round failed; retrying');
      }
      await pause(Math.min(this.options.leaseRetryMs, this.options.gaugeSampleMs), signal);
    }
  }

  private startLoop(position: ShardPosition): void {
    const loop: Promise<void> = this.runShard(position).finally(() => this.loops.delete(loop));
    this.loops.add(loop);
  }

  /**
   * One owned shard's loop: a blocking read of this shard alone, its batch persisted, again. It
   * ends when the worker stops or the shard is no longer owned through this same position object
   * (lost, fenced off): a shard taken again gets a fresh position and a fresh loop, and a stale
   * loop drops what its last read returned. Safe beside the other shards' loops because shards share
   * nothing: a conversation lives in one shard, so the sequencer's entries never race, and each
   * batch is fenced by its own shard's token.
   */
  private async runShard(position: ShardPosition): Promise<void> {
    const { shard } = position;
    const { signal } = this.stopping;
    // Logged when reads start and stop failing, not on every retry: an outage fails every shard's reads.
    let readsFailing = false;
    while (!signal.aborted && this.owned.get(shard) === position) {
      const backingOff = this.backoff.retryIn(shard);
      if (backingOff > 0) {
        await pause(backingOff, signal);
        continue;
      }
      try {
        const read = await this.deps.queue.read(new Map([[shard, position.cursor]]), this.options.maxBatch, this.options.blockMs, signal);
        const entries = read.get(shard);
        if (readsFailing) this.deps.log.info({ shard }, 'shard read again');
        readsFailing = false;
        // Entries read as the worker stops or loses the shard stay queued for the next owner.
        if (entries?.length && !signal.aborted && this.owned.get(shard) === position) await this.process(position, entries);
      } catch (err) {
        // Only reading the queue gets here: process() keeps a write's failure with its shard.
        if (!readsFailing) this.deps.log.error({ err, shard }, 'shard read failed; retrying until it works');
        readsFailing = true;
        await pause(READ_RETRY_MS, signal);
      }
    }
  }

  private async acquireShards(): Promise<void> {
    if (this.owned.size === this.options.shardCount) return;
    const acquired: number[] = [];
    for (let shard = 0; shard < this.options.shardCount && !this.stopping.signal.aborted; shard++) {
      if (this.owned.has(shard)) continue;
      const lease = await this.deps.leases.tryAcquire(shard);
      if (!lease) continue;
      // A shard that changed hands may have numbered messages elsewhere: cached ids are stale.
      this.sequencer.clear();
      const position: ShardPosition = { shard, lease, cursor: null };
      this.owned.set(shard, position);
      this.startLoop(position);
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
