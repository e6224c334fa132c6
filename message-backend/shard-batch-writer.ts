/**
 * ShardBatchWriter: persists one shard's batch of queue entries in order, and isolates what the
 * store refuses for good. A batch that fails for a reason a retry cannot fix is split in halves
 * until the entries at fault stand alone; each is then tried alone a bounded number of times and
 * set aside as a dead letter, while every other entry of the batch is stored, published and released.
 */
import { decideRefusedPost } from '../core/access/flow-policy';
import { type QueueCommand, replyHead } from '../core/messaging/commands';
import type { Log } from '../core/log';
import type { Metrics } from '../core/metrics';
import type { MessageStore } from '../core/ports/message-store';
import type { Lease } from '../core/ports/shard-lease';
import type { QueueEntry, WorkQueue } from '../core/ports/work-queue';
import { PosterRefusedError, type RefusedPoster, StoreConflictError } from '../core/errors';
import { assumesNewUuids, BatchBuilder, type Outcome, posterKey } from './batch-builder';
import type { DeadLetterSink } from './dead-letter-sink';
import type { MentionRecorder } from './mention-recorder';
import type { Publisher } from './publisher';
import type { Sequencer } from './sequencer';
import { classifyWriteFailure, describeWriteError } from './write-failure';

/** Where the worker stands in one owned shard; `cursor` moves past every entry stored or set aside. */
export interface ShardPosition {
  shard: number;
  lease: Lease;
  cursor: string | null;
}

export interface ShardBatchWriterOptions {
  /** Times an entry is written alone before it is set aside. */
  maxAttempts: number;
  /** Wait before the second lone attempt; doubled for each further one. */
  attemptDelayMs: number;
}

/** An entry with its command, or null when its payload is not a command at all. */
interface Item {
  entry: QueueEntry;
  command: QueueCommand | null;
}

/** A payload that is not a queue command: no retry can read it, so it is set aside at once. */
class UnreadableEntryError extends Error {
  constructor(cursor: string, why: string) {
    super(`queue entry ${cursor} is not a command: ${why}`);
    this.name = 'UnreadableEntryError';
  }
}

const KINDS = new Set(['post', 'edit', 'delete']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads a payload as a command, checking only what the builder and the replies rely on before anything else. */
function readCommand(payload: string): QueueCommand | null {
  try {
    const c = JSON.parse(payload) as Partial<QueueCommand> | null;
    const ok = c !== null && typeof c === 'object' && KINDS.has(String(c.kind)) && typeof c.conversation === 'string'
      && typeof c.uuid === 'string' && typeof c.replyTo === 'string' && typeof c.actor === 'string';
    return ok ? (c as QueueCommand) : null;
  } catch {
    return null;
  }
}

export class ShardBatchWriter {
  constructor(
    private readonly deps: { queue: WorkQueue; store: MessageStore; sequencer: Sequencer; publisher: Publisher; deadLetters: DeadLetterSink; metrics: Metrics; log: Log; mentions?: MentionRecorder },
    private readonly options: ShardBatchWriterOptions,
  ) {}

  /**
   * Stores, publishes and releases the entries in queue order, setting aside those the store
   * refuses for good. Throws FencedOffError or a transient error; what was done before stays done
   * (released, and `position.cursor` past it), so the caller retries only the rest.
   */
  async persist(position: ShardPosition, entries: QueueEntry[]): Promise<void> {
    await this.persistRange(position, entries.map((entry) => ({ entry, command: readCommand(entry.payload) })));
  }

  private async persistRange(position: ShardPosition, items: Item[]): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = await this.write(position, items);
    } catch (err) {
      this.deps.sequencer.clear(); // the ids this attempt numbered were not stored
      if (classifyWriteFailure(err) !== 'permanent') throw err;
      if (items.length === 1) return this.retryAlone(position, items[0] as Item, err);
      const half = Math.ceil(items.length / 2);
      this.deps.log.warn({ shard: position.shard, entries: items.length, err: describeWriteError(err) }, 'batch refused by the store; splitting it to find the entries at fault');
      await this.persistRange(position, items.slice(0, half));
      await this.persistRange(position, items.slice(half));
      return;
    }
    await this.finish(position, items, outcome);
  }

  /** Builds and writes one batch; the outcome is not yet published. */
  private async write(position: ShardPosition, items: Item[]): Promise<Outcome> {
    const commands: QueueCommand[] = [];
    for (const { entry, command } of items) {
      if (!command) throw new UnreadableEntryError(entry.cursor, 'not a JSON queue command');
      commands.push(command);
    }
    const started = Date.now();
    const outcome = await this.buildAndWrite(position, commands);
    for (const [conversation, lastId] of outcome.lastIds) this.deps.sequencer.commit(conversation, lastId);
    this.deps.metrics.persistLatency.observe(Date.now() - started);
    this.deps.metrics.persistBatchSize.observe(commands.length);
    return outcome;
  }

  /**
   * Writes the batch; when the store refuses members who may no longer post where they posted
   * (blocked, removed, the flow archived since their edge admitted them: ADR 035), nothing was
   * written, their posts are answered with the refusal, and the rest is built and written again.
   */
  private async buildAndWrite(position: ShardPosition, commands: QueueCommand[]): Promise<Outcome> {
    const refusals: Outcome['replies'] = [];
    let admitted = commands;
    for (;;) {
      if (admitted.length === 0) return { batch: { inserts: [], updates: [], threads: [] }, events: [], replies: refusals, lastIds: new Map() };
      try {
        const outcome = await this.buildAndWriteAdmitted(position, admitted);
        outcome.replies.push(...refusals);
        return outcome;
      } catch (err) {
        if (!(err instanceof PosterRefusedError)) throw err;
        // Nothing was written (the sequencer commits ids only once stored): build the batch once more without the refused posts.
        const rest = this.withoutRefused(admitted, err.refused, refusals);
        if (rest.length === admitted.length) throw err; // the store named a poster no post carries: a bug, not a loop
        admitted = rest;
      }
    }
  }

  /** The commands left once the posts of refused members are answered as the gate answers them (404, or 403 in an archived flow). */
  private withoutRefused(commands: QueueCommand[], refused: RefusedPoster[], refusals: Outcome['replies']): QueueCommand[] {
    const byPoster = new Map(refused.map((r) => [posterKey(r.flowId, r.userId), r]));
    return commands.filter((command) => {
      const refusal = command.kind === 'post' && command.member !== undefined ? byPoster.get(posterKey(command.conversation, command.member)) : undefined;
      if (!refusal) return true;
      const decision = decideRefusedPost(refusal);
      const error = { code: decision.as === 'not-found' ? ('NOT_FOUND' as const) : ('FORBIDDEN' as const), message: decision.reason };
      refusals.push({ channel: command.replyTo, reply: { ...replyHead(command), error } });
      this.deps.metrics.persistRefusedPosts.inc();
      return false;
    });
  }

  /**
   * A batch of posts is written first on the assumption that none is a retry, which saves the uuid
   * look-up's round trip on every calm post (ADR 033). A retry among them makes the store refuse
   * the whole statement with a uuid conflict, nothing written: the batch is then built again with
   * the stored uuids looked up, which answers the retries with their stored messages. A conflict
   * of the looked-up build is a real one and goes to the caller (split, then dead letter).
   */
  private async buildAndWriteAdmitted(position: ShardPosition, commands: QueueCommand[]): Promise<Outcome> {
    if (assumesNewUuids(commands) && (await this.deps.store.hidesRefusedBatches())) {
      const optimistic = await new BatchBuilder(this.deps.store, this.deps.sequencer).build(commands, 'assume-new');
      try {
        await this.deps.store.writeBatch(optimistic.batch, position.lease);
        return optimistic;
      } catch (err) {
        // A refused poster may be a retry of a post stored before they lost access: built as new it
        // was checked as a poster. Looked up, a retry inserts nothing, is not checked, and is
        // answered (and published again) with its stored message; only real inserts are refused.
        if (!(err instanceof StoreConflictError) && !(err instanceof PosterRefusedError)) throw err;
        if (err instanceof StoreConflictError) {
          this.deps.metrics.persistConflictRewrites.inc();
          // The conflict may be an id, not a uuid (a stale cached id): number afresh from the store.
          this.deps.sequencer.clear();
        }
      }
    }
    const outcome = await new BatchBuilder(this.deps.store, this.deps.sequencer).build(commands, 'look-up');
    await this.deps.store.writeBatch(outcome.batch, position.lease);
    return outcome;
  }

  /** Records its mentions and publishes a stored batch, then drops its entries from the queue (a crash in between replays them; retries dedupe). */
  private async finish(position: ShardPosition, items: Item[], outcome: Outcome): Promise<void> {
    await this.deps.mentions?.recordStored(outcome.events);
    await this.deps.publisher.publish(outcome.events, outcome.replies);
    await this.release(position, items[items.length - 1]!.entry.cursor);
  }

  /** An entry refused alone: tried again a few times (in case the cause was not the entry), then set aside. */
  private async retryAlone(position: ShardPosition, item: Item, first: unknown): Promise<void> {
    let last = first;
    let attempts = 1;
    while (item.command && !(last instanceof UnreadableEntryError) && attempts < this.options.maxAttempts) {
      await sleep(this.options.attemptDelayMs * 2 ** (attempts - 1));
      attempts += 1;
      let outcome: Outcome;
      try {
        outcome = await this.write(position, [item]);
      } catch (err) {
        this.deps.sequencer.clear();
        if (classifyWriteFailure(err) !== 'permanent') throw err;
        last = err;
        continue;
      }
      return this.finish(position, [item], outcome);
    }
    await this.deps.deadLetters.keep(position.shard, item.entry, item.command, describeWriteError(last), attempts);
    await this.release(position, item.entry.cursor);
    if (item.command) await this.deps.deadLetters.tellPoster(item.command);
  }

  private async release(position: ShardPosition, cursor: string): Promise<void> {
    await this.deps.queue.release(position.shard, cursor);
    position.cursor = cursor;
  }
}
