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
import type { LeaseWorkers, ShardLeases } from '../core/ports/shard-lease';
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
  /** The current loop of each shard, and the switch that ends it (a hand-over to another worker). */
  private readonly loopOf = new Map<number, { done: Promise<void>; end: AbortController }>();
  /**
   * Shards handed over, until their lease is released (once their loop has finished its batch in
   * hand). Not taken again meanwhile: this session still holds the lock, and taking it twice would
   * leave it held by a lease the release below does not know of.
   */
  private readonly handOvers = new Map<number, Promise<void>>();
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
    await Promise.all(this.handOvers.values());
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

  /**
   * The periodic task: evens out the shards between the live workers (hands over what is above
   * this worker's share, takes free shards up to it, each starting its own loop), and samples the
   * queue gauges.
   */
  private async tend(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      try {
        const share = fairShare(this.options.shardCount, await this.deps.leases.workers());
        this.handOverAbove(share);
        await this.acquireShards(share);
        await this.sampleGauges();
      } catch (err) {
        // Only taking leases or sampling gauges gets here; the shards' loops go on meanwhile.
        this.deps.log.error({ err }, 'lease round failed; retrying');
      }
      await pause(Math.min(this.options.leaseRetryMs, this.options.gaugeSampleMs), signal);
    }
  }

  private startLoop(position: ShardPosition): void {
    const end = new AbortController();
    const loop: Promise<void> = this.runShard(position, AbortSignal.any([this.stopping.signal, end.signal])).finally(() => {
      this.loops.delete(loop);
      if (this.loopOf.get(position.shard)?.done === loop) this.loopOf.delete(position.shard);
    });
    this.loops.add(loop);
    this.loopOf.set(position.shard, { done: loop, end });
  }

  /**
   * Gives up the shards above this worker's share, the highest first, so that a worker that joins
   * gets work: each shard's loop is ended (its batch in hand is finished, what it had just read stays
   * queued) and only then is its lease released, for another worker to take under a new token.
   */
  private handOverAbove(share: number): void {
    const extra = this.ownedShards().slice(share).reverse();
    for (const shard of extra) {
      const position = this.owned.get(shard)!;
      this.owned.delete(shard);
      this.backoff.forget(shard);
      const loop = this.loopOf.get(shard);
      loop?.end.abort();
      const handOver: Promise<void> = (loop?.done ?? Promise.resolve())
        .then(() => this.deps.leases.release(position.lease))
        .catch((err: unknown) => this.deps.log.warn({ err, shard }, 'releasing a handed-over shard failed; its lease ends with the session'))
        .finally(() => this.handOvers.delete(shard));
      this.handOvers.set(shard, handOver);
    }
    if (extra.length) {
      this.deps.log.info({ shards: extra, owned: this.owned.size }, 'shards handed over to even out the workers');
      this.deps.metrics.shardsOwned.set(this.owned.size);
    }
  }

  /**
   * One owned shard's loop: a blocking read of this shard alone, its batch persisted, again. It
   * ends when the worker stops or the shard is no longer owned through this same position object
   * (lost, fenced off): a shard taken again gets a fresh position and a fresh loop, and a stale
   * loop drops what its last read returned. Safe beside the other shards' loops because shards share
   * nothing: a conversation lives in one shard, so the sequencer's entries never race, and each
   * batch is fenced by its own shard's token.
   */
  private async runShard(position: ShardPosition, signal: AbortSignal): Promise<void> {
    const { shard } = position;
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

  /** Takes free shards while this worker holds fewer than `share`. */
  private async acquireShards(share: number): Promise<void> {
    if (this.owned.size >= share) return;
    const acquired: number[] = [];
    for (let shard = 0; shard < this.options.shardCount && this.owned.size < share && !this.stopping.signal.aborted; shard++) {
      if (this.owned.has(shard) || this.handOvers.has(shard)) continue;
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
        // Gives back the lock if this session still holds it (release is a no-op otherwise).
        await this.deps.leases.release(position.lease).catch(() => undefined);
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

/**
 * A worker's fair share of `shardCount` shards: an even split over the live workers, the first
 * `shardCount mod workers` of them in the order all agree on taking one more — so the shares add
 * up to every shard. A worker not (yet) in the list gets the smaller share.
 */
export function fairShare(shardCount: number, workers: LeaseWorkers): number {
  const n = Math.max(1, workers.all.length);
  const rank = workers.all.indexOf(workers.self);
  return Math.floor(shardCount / n) + (rank >= 0 && rank < shardCount % n ? 1 : 0);
}
