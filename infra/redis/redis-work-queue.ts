/** RedisWorkQueue: the durable WorkQueue, one Redis Stream per shard plus one dead-letter Stream, between the API edges and message-backend. */
import type { Redis } from 'ioredis';
import type { DeadLetter, DeadLetterFailure, QueueEntry, WorkQueue } from '../../core/ports/work-queue';
import { closeClient, connectByUrl, type RedisConnect } from './redis-client';
import { onRedis } from './redis-outage';

/** Options for {@link RedisWorkQueue}. */
export interface RedisWorkQueueOptions {
  /** Used when `connect` is not given. */
  url?: string;
  /** Opens the command connection and, for blocking reads, connections without a command timeout. The queue owns and closes them all. */
  connect?: RedisConnect;
  /** Prepended to every key (`${prefix}q:${shard}`, `${prefix}q:dead`). Default `trib:`. */
  prefix?: string;
}

/** The stream field that holds the payload. */
const FIELD = 'p';
/** Largest sequence part of a stream id (an unsigned 64-bit integer). */
const MAX_SEQ = 18446744073709551615n;

/** A stream id as Redis writes them: `<ms>-<seq>`. */
const STREAM_ID = /^\d+-\d+$/;

/** XREAD's reply: per stream, its key and entries as [id, [field, value, ...]]. */
type XReadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Dead letters of every shard share one Stream (`${prefix}q:dead`): they are rare, an operator
 * wants them in one list, and the shard is a field of each, so a change of shard count keeps them.
 * Entries are kept until released: no MAXLEN, only XTRIM MINID after the owner persisted them,
 * so a crashed owner's successor reads everything still unpersisted. Cursors are stream ids.
 */
export class RedisWorkQueue implements WorkQueue {
  private readonly redis: Redis;
  /**
   * Connections for blocking reads, one per read waiting at the same time (the backend has one per
   * owned shard): idle ones are reused, and one is opened only when none is idle, so edges that only
   * append never open any. A connection whose read was aborted is closed, not reused.
   */
  private readonly idle: Redis[] = [];
  private readonly waiting = new Set<Redis>();
  private readonly connect: RedisConnect;
  private readonly prefix: string;
  private closed = false;
  /**
   * Bumped when a connection came back (possibly to a new master after a failover): each shard's
   * next read starts from the beginning. Per shard, as the owner reads shards separately too.
   */
  private epoch = 0;
  private readonly shardEpochs = new Map<number, number>();

  constructor(options: RedisWorkQueueOptions = {}) {
    this.connect = options.connect ?? connectByUrl(options.url ?? 'redis://127.0.0.1:6379');
    // Every edge request appends on this one connection: those of one event-loop turn share a write (ADR 036).
    this.redis = this.connect({ enableAutoPipelining: true });
    this.prefix = options.prefix ?? 'trib:';
    this.rewindOnReconnect(this.redis);
  }

  async append(shard: number, payload: string): Promise<void> {
    await onRedis(this.redis.xadd(this.key(shard), '*', FIELD, payload));
  }

  /**
   * Returns only the shards that have entries. A read that may wait is one XREAD BLOCK on a
   * connection of its own (which returns at once when entries are held), so reads of different
   * shards wait side by side; one that may not (`blockMs <= 0`, as XREAD BLOCK 0 would wait
   * forever, or an already aborted signal) is a plain XREAD on the command connection. After a
   * reconnect, each shard's first read ignores its cursor and returns every unreleased entry again.
   */
  async read(after: Map<number, string | null>, count: number, blockMs: number, signal?: AbortSignal): Promise<Map<number, QueueEntry[]>> {
    if (after.size === 0) return new Map();
    const shardByKey = new Map<string, number>();
    const keys: string[] = [];
    const ids: string[] = [];
    for (const [shard, cursor] of after) {
      const key = this.key(shard);
      shardByKey.set(key, shard);
      keys.push(key);
      const fromStart = (this.shardEpochs.get(shard) ?? 0) < this.epoch;
      this.shardEpochs.set(shard, this.epoch);
      ids.push(fromStart ? '0' : (cursor ?? '0'));
    }
    // Explicit ids (never `$`): an entry appended before the read reaches Redis is still returned.
    const reply: XReadReply = blockMs > 0 && !this.closed && !signal?.aborted
      ? await this.waitForEntries(count, blockMs, [...keys, ...ids], signal)
      : await onRedis(this.redis.xread('COUNT', count, 'STREAMS', ...keys, ...ids));
    return toEntries(reply, shardByKey);
  }

  /**
   * XREAD BLOCK on a pooled connection. An abort closes that connection: the read ends whether it
   * is waiting in Redis, still on its way or not yet sent (a CLIENT UNBLOCK could miss the last
   * two), and nothing is lost, as XREAD takes nothing from the stream.
   */
  private async waitForEntries(count: number, blockMs: number, streamsThenIds: string[], signal?: AbortSignal): Promise<XReadReply> {
    const connection = this.idle.pop() ?? this.openBlocking();
    this.waiting.add(connection);
    let aborted = false;
    const cut = (): void => {
      aborted = true;
      connection.disconnect();
    };
    signal?.addEventListener('abort', cut, { once: true });
    try {
      return await onRedis(connection.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', ...streamsThenIds));
    } catch (error) {
      if (aborted || this.closed) return null; // stop or close() cut the wait short
      throw error;
    } finally {
      signal?.removeEventListener('abort', cut);
      this.waiting.delete(connection);
      // Not disconnected twice: ioredis would then wait for a close that already happened (2 s timer).
      if (!aborted && !this.closed) this.idle.push(connection); // else cut() or close() disconnected it
    }
  }

  async release(shard: number, cursor: string): Promise<void> {
    await onRedis(this.redis.xtrim(this.key(shard), 'MINID', nextId(cursor)));
  }

  async depth(shard: number): Promise<number> {
    return onRedis(this.redis.xlen(this.key(shard)));
  }

  async deadLetter(shard: number, entry: QueueEntry, failure: DeadLetterFailure): Promise<DeadLetter> {
    const at = new Date().toISOString();
    const id = await onRedis(this.redis.xadd(this.deadKey(), '*', 's', String(shard), FIELD, entry.payload, 'e', failure.error, 'a', String(failure.attempts), 't', at));
    return { id: id as string, shard, payload: entry.payload, ...failure, at };
  }

  async deadLetters(limit: number): Promise<DeadLetter[]> {
    if (limit <= 0) return [];
    const items = await onRedis(this.redis.xrange(this.deadKey(), '-', '+', 'COUNT', limit));
    return items.map(([id, fields]) => toDeadLetter(id, fields));
  }

  async deadLetterCount(): Promise<number> {
    return onRedis(this.redis.xlen(this.deadKey()));
  }

  async requeueDeadLetter(id: string): Promise<DeadLetter | null> {
    const letter = await this.findDeadLetter(id);
    if (!letter) return null;
    // One transaction: the payload is back on its shard exactly when it leaves the dead letters.
    await onRedis(this.redis.multi().xadd(this.key(letter.shard), '*', FIELD, letter.payload).xdel(this.deadKey(), id).exec());
    return letter;
  }

  async dropDeadLetter(id: string): Promise<boolean> {
    if (!STREAM_ID.test(id)) return false;
    return (await onRedis(this.redis.xdel(this.deadKey(), id))) > 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // disconnect, not quit: QUIT would wait behind a pending XREAD BLOCK for up to blockMs.
    for (const connection of [...this.idle, ...this.waiting]) connection.disconnect();
    this.idle.length = 0;
    await closeClient(this.redis);
  }

  private key(shard: number): string {
    return `${this.prefix}q:${shard}`;
  }

  private deadKey(): string {
    return `${this.prefix}q:dead`;
  }

  private async findDeadLetter(id: string): Promise<DeadLetter | null> {
    if (!STREAM_ID.test(id)) return null; // Redis would answer an error for a malformed id
    const [item] = await onRedis(this.redis.xrange(this.deadKey(), id, id));
    return item ? toDeadLetter(item[0], item[1]) : null;
  }

  private openBlocking(): Redis {
    // A blocking read waits up to blockMs by design: no command timeout on this connection.
    const connection = this.connect({ commandTimeout: undefined });
    connection.on('error', () => {}); // ioredis reconnects; the pending read fails and is retried by the caller
    this.rewindOnReconnect(connection);
    return connection;
  }

  /**
   * A connection of this queue that comes back (possibly to a promoted replica, whose stream ids
   * come from its own clock and may sort below the cursors read from the old master) makes every
   * shard's next read start over; re-reading what is unreleased is safe (the owner dedupes by uuid).
   */
  private rewindOnReconnect(connection: Redis): void {
    let everReady = connection.status === 'ready';
    connection.on('ready', () => {
      if (everReady) this.epoch += 1;
      everReady = true;
    });
  }
}

function toEntries(reply: XReadReply, shardByKey: Map<string, number>): Map<number, QueueEntry[]> {
  const result = new Map<number, QueueEntry[]>();
  for (const [key, items] of reply ?? []) {
    const shard = shardByKey.get(key);
    if (shard === undefined || items.length === 0) continue;
    result.set(shard, items.map(([cursor, fields]) => ({ cursor, payload: fieldValue(fields) })));
  }
  return result;
}

/** The payload field's value; entries are written by `append` only, but do not trust position. */
function fieldValue(fields: string[], name = FIELD): string {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1] as string;
  throw new Error(`queue entry without a "${name}" field`);
}

function toDeadLetter(id: string, fields: string[]): DeadLetter {
  return {
    id,
    shard: Number(fieldValue(fields, 's')),
    payload: fieldValue(fields),
    error: fieldValue(fields, 'e'),
    attempts: Number(fieldValue(fields, 'a')),
    at: fieldValue(fields, 't'),
  };
}

/**
 * The smallest stream id greater than `cursor`: XTRIM MINID keeps ids >= its argument, so
 * trimming to this drops the cursor's entry and everything before it.
 */
export function nextId(cursor: string): string {
  const match = /^(\d+)-(\d+)$/.exec(cursor);
  if (!match) throw new Error(`not a stream id: ${cursor}`);
  const ms = BigInt(match[1] as string);
  const seq = BigInt(match[2] as string);
  return seq === MAX_SEQ ? `${ms + 1n}-0` : `${ms}-${seq + 1n}`;
}
