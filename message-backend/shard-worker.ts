/**
 * ShardWorker: the message backend's one loop. It owns queue shards through leases, reads every
 * owned shard in one blocking call (so an idle system flushes each message at once and a busy one
 * gets whole batches), stores each shard's batch in one write under the lease's fencing token,
 * publishes, and only then releases the queue entries.
 */
import type { QueueCommand } from '../core/messaging/commands';
import { FencedOffError, StoreConflictError } from '../core/errors';
import type { Log } from '../core/log';
import type { Metrics } from '../core/metrics';
import type { MessageStore } from '../core/ports/message-store';
import type { Lease, ShardLeases } from '../core/ports/shard-lease';
import type { QueueEntry, WorkQueue } from '../core/ports/work-queue';
import { BatchBuilder } from './batch-builder';
import type { Publisher } from './publisher';
import { Sequencer } from './sequencer';

export interface ShardWorkerOptions {
  shardCount: number;
  /** Most entries taken from one shard per read: the largest batch. */
  maxBatch: number;
  /** How long one read waits for new entries. */
  blockMs: number;
  /** How often unowned shards are tried. */
  leaseRetryMs: number;
}

interface Owned {
  lease: Lease;
  cursor: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ShardWorker {
  private readonly owned = new Map<number, Owned>();
  private readonly sequencer: Sequencer;
  private running: Promise<void> | null = null;
  private stopping = false;
  private lastLeaseRound = 0;

  constructor(
    private readonly deps: { queue: WorkQueue; store: MessageStore; leases: ShardLeases; publisher: Publisher; metrics: Metrics; log: Log },
    private readonly options: ShardWorkerOptions,
  ) {
    this.sequencer = new Sequencer(deps.store);
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
        if (this.owned.size === 0) {
          await sleep(this.options.leaseRetryMs);
          continue;
        }
        const after = new Map([...this.owned].map(([shard, o]) => [shard, o.cursor]));
        const read = await this.deps.queue.read(after, this.options.maxBatch, this.options.blockMs);
        for (const [shard, entries] of read) if (entries.length && this.owned.has(shard)) await this.process(shard, entries);
      } catch (err) {
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
      this.owned.set(shard, { lease, cursor: null });
      acquired.push(shard);
    }
    if (acquired.length) this.deps.log.info({ shards: acquired, owned: this.owned.size }, 'shards acquired');
    this.deps.metrics.shardsOwned.set(this.owned.size);
  }

  private parse(entries: QueueEntry[]): QueueCommand[] {
    const commands: QueueCommand[] = [];
    for (const entry of entries) {
      try {
        commands.push(JSON.parse(entry.payload) as QueueCommand);
      } catch (err) {
        // Only our edges write the queue; an unreadable entry is a bug to see, not a reason to stall the shard.
        this.deps.log.error({ err, cursor: entry.cursor }, 'dropping unreadable queue entry');
      }
    }
    return commands;
  }

  private async process(shard: number, entries: QueueEntry[]): Promise<void> {
    const owned = this.owned.get(shard)!;
    const commands = this.parse(entries);
    const started = Date.now();
    const outcome = await new BatchBuilder(this.deps.store, this.sequencer).build(commands);
    try {
      await this.deps.store.writeBatch(outcome.batch, owned.lease);
    } catch (err) {
      this.sequencer.clear();
      if (err instanceof FencedOffError) {
        this.deps.log.warn({ shard }, 'fenced off: another worker owns this shard now');
        this.owned.delete(shard);
        return;
      }
      if (err instanceof StoreConflictError) this.deps.log.warn({ shard, err: err.message }, 'id conflict; renumbering from the store');
      throw err;
    }
    for (const [conversation, lastId] of outcome.lastIds) this.sequencer.commit(conversation, lastId);
    this.deps.metrics.persistLatency.observe(Date.now() - started);
    this.deps.metrics.persistBatchSize.observe(commands.length);
    await this.deps.publisher.publish(outcome.events, outcome.replies);
    const last = entries[entries.length - 1]!.cursor;
    await this.deps.queue.release(shard, last);
    owned.cursor = last;
  }
}
