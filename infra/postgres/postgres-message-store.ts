/** MessageStore on Postgres (the default engine): messages and thread states as JSONB rows. */
import type { Pool } from 'pg';
import type { ConversationKey, MessageJson, ThreadState } from '../../core/domain/types';
import { FencedOffError, PosterRefusedError, type RefusedPoster, StoreConflictError } from '../../core/errors';
import { normalizeTag } from '../../core/messaging/search-text';
import type { Fence, MessageBatch, MessageQuery, MessageStore, ThreadQuery } from '../../core/ports/message-store';
import { WRITE_BATCH_SQL, buildListSql, compactBatch, writeBatchValues } from './message-query-sql';

/** Postgres' SQLSTATE for a unique-constraint violation. */
const UNIQUE_VIOLATION = '23505';

const REQUIRED_TABLES = ['messages', 'threads', 'shard_leases'];

export interface PostgresMessageStoreOptions {
  /** Borrowed: the store never ends it (its owner does), so close() leaves it open. */
  pool: Pool;
}

/**
 * The Postgres engine of the message store. Tables come from migration 002_messages; every batch
 * is written by one statement, so it is atomic and costs one round trip.
 */
export class PostgresMessageStore implements MessageStore {
  private readonly pool: Pool;

  constructor(options: PostgresMessageStoreOptions) {
    this.pool = options.pool;
  }

  /** Migrations create the tables; this only checks they are there, to fail early and clearly. */
  async prepare(): Promise<void> {
    const { rows } = await this.pool.query<{ name: string; found: string | null }>(
      'SELECT name, to_regclass(name)::text AS found FROM unnest($1::text[]) AS name',
      [REQUIRED_TABLES],
    );
    const missing = rows.filter((r) => r.found === null).map((r) => r.name);
    if (missing.length) throw new Error(`message store tables missing (migrations not run?): ${missing.join(', ')}`);
  }

  async writeBatch(batch: MessageBatch, fence: Fence): Promise<void> {
    const compacted = compactBatch(batch);
    let outcome: { fenced_in: boolean; refused: RefusedPoster[] } | undefined;
    try {
      // Named: prepared once per connection instead of parsed and planned for every batch.
      const { rows } = await this.pool.query<{ fenced_in: boolean; refused: RefusedPoster[] }>({
        name: 'write-batch', text: WRITE_BATCH_SQL, values: writeBatchValues(compacted, fence.shard, fence.token),
      });
      outcome = rows[0];
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new StoreConflictError(`message batch conflicts: ${(err as { detail?: string }).detail ?? (err as Error).message}`);
      }
      throw err;
    }
    if (outcome?.fenced_in !== true) throw new FencedOffError(fence.shard, fence.token);
    if (outcome.refused.length) throw new PosterRefusedError(outcome.refused.map((r) => ({ ...r, userId: Number(r.userId) })));
  }

  /** The posters are checked in the batch statement, against the directory in the same database. */
  checksPosters(): boolean {
    return true;
  }

  /** One statement: a refused batch is rolled back before anyone could read it. */
  async hidesRefusedBatches(): Promise<boolean> {
    return true;
  }

  async lastId(conversation: ConversationKey): Promise<number> {
    const { rows } = await this.pool.query<{ last: string | null }>(
      'SELECT max(id)::text AS last FROM messages WHERE conversation = $1',
      [conversation],
    );
    return Number(rows[0]?.last ?? 0);
  }

  async findByUuids(conversation: ConversationKey, uuids: string[]): Promise<MessageJson[]> {
    if (uuids.length === 0) return [];
    return this.docs<MessageJson>(
      'SELECT doc FROM messages WHERE conversation = $1 AND uuid = ANY($2::text[]) ORDER BY id',
      [conversation, uuids],
      'messages-by-uuid',
    );
  }

  async get(conversation: ConversationKey, id: number): Promise<MessageJson | null> {
    const [doc] = await this.docs<MessageJson>('SELECT doc FROM messages WHERE conversation = $1 AND id = $2', [conversation, id], 'message-by-id');
    return doc ?? null;
  }

  async list(conversation: ConversationKey, query: MessageQuery): Promise<MessageJson[]> {
    const { text, values } = buildListSql(conversation, query);
    return this.docs<MessageJson>(text, values);
  }

  async listAfter(conversation: ConversationKey, afterId: number, limit: number): Promise<MessageJson[]> {
    return this.docs<MessageJson>(
      'SELECT doc FROM messages WHERE conversation = $1 AND id > $2 ORDER BY id ASC LIMIT $3',
      [conversation, afterId, Math.max(0, Math.floor(limit))],
      'messages-after',
    );
  }

  async countTagged(conversation: ConversationKey, tag: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM messages WHERE conversation = $1 AND tags @> ARRAY[$2::text]',
      [conversation, normalizeTag(tag)],
    );
    return rows[0]?.n ?? 0;
  }

  async getThread(conversation: ConversationKey, threadId: string): Promise<ThreadState | null> {
    const [doc] = await this.docs<ThreadState>('SELECT doc FROM threads WHERE conversation = $1 AND id = $2', [conversation, threadId], 'thread-by-id');
    return doc ?? null;
  }

  async listThreads(conversation: ConversationKey, query: ThreadQuery): Promise<ThreadState[]> {
    const values: unknown[] = [conversation, Math.max(0, Math.floor(query.limit))];
    const where = ['conversation = $1'];
    if (query.until !== undefined) {
      values.push(query.until);
      where.push(`updated_at < $${values.length}::timestamptz`);
    }
    if (query.since !== undefined) {
      values.push(query.since);
      where.push(`updated_at > $${values.length}::timestamptz`);
    }
    // id breaks ties so that paging by `until` is deterministic.
    return this.docs<ThreadState>(
      `SELECT doc FROM threads WHERE ${where.join(' AND ')} ORDER BY updated_at DESC, id DESC LIMIT $2`,
      values,
    );
  }

  /** The pool is borrowed (see the options), so there is nothing of the store's own to release. */
  async close(): Promise<void> {}

  /** `name` prepares a fixed statement once per connection (the hot ones: each call would be parsed and planned again). */
  private async docs<T>(text: string, values: unknown[], name?: string): Promise<T[]> {
    const { rows } = await this.pool.query<{ doc: T }>(name ? { name, text, values } : { text, values });
    return rows.map((r) => r.doc);
  }
}
