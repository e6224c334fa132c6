/** RedisWorkQueue: the durable WorkQueue, one Redis Stream per shard plus one dead-letter Stream, between the API edges and message-backend. */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DeadLetter, DeadLetterFailure, QueueEntry, WorkQueue } from '../../core/ports/work-queue';
import { closeClient, connectByUrl, type RedisConnect } from './redis-client';
import { onRedis } from './redis-outage';

/** Options for {@link RedisWorkQueue}. */
export interface RedisWorkQueueOptions {
  /** Used when `connect` is not given. */
  url?: string;
  /** Opens the command connection and, for blocking reads, one without a command timeout. The queue owns and closes both. */
  connect?: RedisConnect;
  /** Prepended to every key (`${prefix}q:${shard}`, `${prefix}q:dead`). Default `trib:`. */
  prefix?: string;
}

/** The stream field that holds the payload. */
const FIELD = 'p';
/** Largest sequence part of a stream id (an unsigned 64-bit integer). */
const MAX_SEQ = 18446744073709551615n;

/** How long a reader's wake stream outlives its last wake (it is one entry long; a dead reader's goes away). */
const WAKE_TTL_MS = 600_000;

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
  /** Opened on the first read that has to wait; edges that only append never open it. */
  private blocking: Redis | null = null;
  private readonly connect: RedisConnect;
  private readonly prefix: string;
  private closed = false;
  /**
   * Bumped when the connection came back (possibly to a new master after a failover): each shard's
   * next read starts from the beginning. Per shard, as the owner reads shards separately too.
   */
  private epoch = 0;
  private readonly shardEpochs = new Map<number, number>();
  /** This reader's own stream, which an aborted read's signal appends to so that its XREAD BLOCK returns. */
  private readonly wakeKey: string;
  private wakeCursor = '0-0';

  constructor(options: RedisWorkQueueOptions = {}) {
    this.connect = options.connect ?? connectByUrl(options.url ?? 'redis://127.0.0.1:6379');
    this.redis = this.connect();
    this.prefix = options.prefix ?? 'trib:';
    this.wakeKey = `${this.prefix}q:wake:${randomBytes(8).toString('hex')}`;
    let everReady = this.redis.status === 'ready';
    // A promoted replica's stream ids come from its own clock and may sort below the cursor the
    // reader got from the old master; re-reading what is unreleased is safe (the owner dedupes by uuid).
    this.redis.on('ready', () => {
      if (everReady) {
        this.epoch += 1;
        this.wakeCursor = '0-0'; // a new master's ids may sort below the old one's (one spurious wake at most)
      }
      everReady = true;
    });
  }

  async append(shard: number, payload: string): Promise<void> {
    await onRedis(this.redis.xadd(this.key(shard), '*', FIELD, payload));
  }

  /**
   * Returns only the shards that have entries. Tries a non-blocking XREAD first, so held entries
   * come back at once without occupying the blocking connection; only then waits (XREAD BLOCK,
   * which in Redis would wait forever for 0, so `blockMs <= 0` never waits). Concurrent waiting
   * reads on one queue queue up behind each other on the blocking connection: one waiting reader
   * per queue instance (the shard owner's loop) is the intended use; reads that do not wait may run
   * beside it. After a reconnect, each shard's first read ignores its cursor and returns every
   * unreleased entry again.
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
    let reply: XReadReply = await onRedis(this.redis.xread('COUNT', count, 'STREAMS', ...keys, ...ids));
    if (!reply && blockMs > 0 && !this.closed && !signal?.aborted) reply = await this.waitForEntries(count, blockMs, keys, ids, signal);
    return toEntries(reply, shardByKey);
  }

  /**
   * XREAD BLOCK on the blocking connection, over the shards and this reader's wake stream: an abort
   * appends to the wake stream (on the command connection), which returns the read at once even
   * when the append reaches Redis before the read does (the wake cursor is explicit too).
   */
  private async waitForEntries(count: number, blockMs: number, keys: string[], ids: string[], signal?: AbortSignal): Promise<XReadReply> {
    const wake = (): void => {
      this.redis.multi().xadd(this.wakeKey, 'MAXLEN', '1', '*', 'w', '1').pexpire(this.wakeKey, WAKE_TTL_MS).exec().catch(() => undefined);
    };
    signal?.addEventListener('abort', wake, { once: true });
    const streams = signal ? [...keys, this.wakeKey] : keys;
    const cursors = signal ? [...ids, this.wakeCursor] : ids;
    try {
      // Explicit ids (not `$`), so an append landing between the two reads is still returned.
      const reply: XReadReply = await onRedis(this.blockingConnection().xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', ...streams, ...cursors));
      const woken = reply?.find(([key]) => key === this.wakeKey)?.[1];
      if (woken?.length) this.wakeCursor = woken[woken.length - 1]![0];
      return reply;
    } catch (error) {
      if (this.closed) return null; // close() cut the wait short
      throw error;
    } finally {
      signal?.removeEventListener('abort', wake);
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
    this.blocking?.disconnect();
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

  private blockingConnection(): Redis {
    if (!this.blocking) {
      // A blocking read waits up to blockMs by design: no command timeout on this connection.
      this.blocking = this.connect({ commandTimeout: undefined });
      this.blocking.on('error', () => {}); // ioredis reconnects; the pending read fails and is retried by the caller
    }
    return this.blocking;
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
