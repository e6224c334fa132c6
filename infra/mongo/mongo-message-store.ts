/** MessageStore on MongoDB (production engine when MONGO_URL is set), with the official driver. */
import { type ClientSession, type Collection, type Db, MongoClient, ObjectId } from 'mongodb';
import type { ConversationKey, MessageJson, ThreadState } from '../../core/domain/types';
import { FencedOffError, StoreConflictError } from '../../core/errors';
import { messageIndexFields, normalizeTag } from '../../core/messaging/search-text';
import type { Fence, MessageBatch, MessageQuery, MessageStore, ThreadQuery } from '../../core/ports/message-store';
import { buildMessageFind, buildThreadFind, type LeaseRow, type MessageRow, type ThreadRow } from './message-filter';

/** MongoDB's error code for a unique-index violation. */
const DUPLICATE_KEY = 11000;

/** Undefined fields are left out, as JSON.stringify (and so the Postgres engine) leaves them out. */
const WRITE_OPTIONS = { ignoreUndefined: true } as const;

/** Either a database owned by the caller, or a URL the store connects to (and closes) itself. */
export type MongoMessageStoreOptions = { db: Db } | { url: string; dbName: string };

function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: unknown; writeErrors?: { code?: unknown }[] | { code?: unknown } };
  if (e?.code === DUPLICATE_KEY) return true;
  const writeErrors = Array.isArray(e?.writeErrors) ? e.writeErrors : e?.writeErrors ? [e.writeErrors] : [];
  return writeErrors.some((w) => w.code === DUPLICATE_KEY);
}

/**
 * The MongoDB engine of the message store. Collections: `messages` (see MessageRow), `threads`,
 * and `shard_leases` ({shard, token}: the fencing tokens, which this store only reads; with no
 * document for a shard every token is accepted).
 *
 * Atomicity: on a replica set or sharded cluster a batch is one transaction. A standalone server
 * has no transactions; there the inserts (the only writes a conflict is expected from) go first
 * and are deleted again if any of them conflicts, so a conflicting batch still leaves nothing,
 * but a crash mid-batch can leave part of it.
 */
export class MongoMessageStore implements MessageStore {
  private readonly client: MongoClient;
  private readonly db: Db;
  private readonly ownsClient: boolean;
  private transactions: Promise<boolean> | undefined;

  constructor(options: MongoMessageStoreOptions) {
    if ('db' in options) {
      this.db = options.db;
      this.client = options.db.client;
      this.ownsClient = false;
    } else {
      // The driver connects on first use, so constructing stays synchronous.
      this.client = new MongoClient(options.url);
      this.db = this.client.db(options.dbName);
      this.ownsClient = true;
    }
  }

  private get messages(): Collection<MessageRow> {
    return this.db.collection<MessageRow>('messages');
  }

  private get threads(): Collection<ThreadRow> {
    return this.db.collection<ThreadRow>('threads');
  }

  private get leases(): Collection<LeaseRow> {
    return this.db.collection<LeaseRow>('shard_leases');
  }

  /**
   * Records a newly acquired lease's token. Leases are taken in Postgres; mirroring the token
   * here lets every batch check its fence inside the same MongoDB transaction as its writes.
   * Tokens only grow, so a late mirror of an older token never overwrites a newer one.
   */
  async recordLeaseToken(shard: number, token: number): Promise<void> {
    await this.leases.updateOne({ shard }, { $max: { token } }, { upsert: true });
  }

  /** Creates the indexes every query needs; createIndexes is a no-op for indexes that exist. */
  async prepare(): Promise<void> {
    await this.messages.createIndexes([
      { key: { conversation: 1, id: 1 }, unique: true, name: 'conversation_id' },
      { key: { conversation: 1, uuid: 1 }, unique: true, name: 'conversation_uuid' },
      { key: { conversation: 1, tags_lc: 1, id: 1 }, name: 'conversation_tags_id' },
      { key: { conversation: 1, event: 1, id: 1 }, name: 'conversation_event_id' },
      { key: { conversation: 1, thread_id: 1, id: 1 }, name: 'conversation_thread_id' },
    ]);
    await this.threads.createIndexes([
      { key: { conversation: 1, id: 1 }, unique: true, name: 'conversation_id' },
      { key: { conversation: 1, updated_at: -1 }, name: 'conversation_updated' },
    ]);
    await this.leases.createIndex({ shard: 1 }, { unique: true, name: 'shard' });
  }

  async writeBatch(batch: MessageBatch, fence: Fence): Promise<void> {
    try {
      if (await this.supportsTransactions()) {
        await this.client.withSession((session) => session.withTransaction(() => this.apply(batch, fence, session)));
      } else {
        await this.apply(batch, fence, undefined);
      }
    } catch (err) {
      if (isDuplicateKey(err)) throw new StoreConflictError(`message batch conflicts: ${(err as Error).message}`);
      throw err;
    }
  }

  /**
   * Only in a transaction: a standalone server inserts a batch's posts one by one and deletes them
   * again when one conflicts, so readers may glimpse them (ADR 033 then looks uuids up first).
   */
  hidesRefusedBatches(): Promise<boolean> {
    return this.supportsTransactions();
  }

  /** The directory is in Postgres, out of this write's reach: posters are not checked, and the edges ask the directory for every post. */
  checksPosters(): boolean {
    return false;
  }

  /** Writes in order fence check → inserts → updates → threads, inside `session`'s transaction if any. */
  private async apply(batch: MessageBatch, fence: Fence, session: ClientSession | undefined): Promise<void> {
    const lease = await this.leases.findOne({ shard: fence.shard }, { session });
    if (lease && lease.token !== fence.token) throw new FencedOffError(fence.shard, fence.token);
    const rows = batch.inserts.map((r) => ({
      _id: new ObjectId(),
      ...messageIndexFields(r.conversation, r.message),
      doc: r.message,
    }));
    try {
      if (rows.length) await this.messages.insertMany(rows, { session, ordered: true, ...WRITE_OPTIONS });
      await this.applyUpdates(batch, session);
    } catch (err) {
      // Without a transaction, undo what this batch inserted before the failure; the _ids are ours alone.
      if (!session && rows.length) await this.messages.deleteMany({ _id: { $in: rows.map((r) => r._id) } });
      throw err;
    }
  }

  private async applyUpdates(batch: MessageBatch, session: ClientSession | undefined): Promise<void> {
    if (batch.updates.length) {
      await this.messages.bulkWrite(
        batch.updates.map((r) => ({
          updateOne: {
            filter: { conversation: r.conversation, id: r.message.id },
            update: { $set: { ...messageIndexFields(r.conversation, r.message), doc: r.message } },
          },
        })),
        { session, ordered: true, ...WRITE_OPTIONS },
      );
    }
    if (batch.threads.length) {
      await this.threads.bulkWrite(
        batch.threads.map(({ conversation, thread }) => ({
          updateOne: {
            filter: { conversation, id: thread.id },
            update: { $set: { updated_at: new Date(thread.updated_at), doc: thread } },
            upsert: true,
          },
        })),
        { session, ordered: true, ...WRITE_OPTIONS },
      );
    }
  }

  /** Transactions need a replica set or mongos; asked once, on the first write (again after a failed ask, else every write failed until a restart). */
  private supportsTransactions(): Promise<boolean> {
    this.transactions ??= this.db
      .command({ hello: 1 })
      .then((hello) => typeof hello.setName === 'string' || hello.msg === 'isdbgrid')
      .catch((err: unknown) => {
        this.transactions = undefined;
        throw err;
      });
    return this.transactions;
  }

  async lastId(conversation: ConversationKey): Promise<number> {
    const last = await this.messages.findOne({ conversation }, { sort: { id: -1 }, projection: { id: 1 } });
    return last?.id ?? 0;
  }

  async findByUuids(conversation: ConversationKey, uuids: string[]): Promise<MessageJson[]> {
    if (uuids.length === 0) return [];
    return this.docs(this.messages.find({ conversation, uuid: { $in: uuids } }).sort({ id: 1 }));
  }

  async get(conversation: ConversationKey, id: number): Promise<MessageJson | null> {
    const row = await this.messages.findOne({ conversation, id }, { projection: { doc: 1 } });
    return row?.doc ?? null;
  }

  async list(conversation: ConversationKey, query: MessageQuery): Promise<MessageJson[]> {
    const plan = buildMessageFind(conversation, query);
    if (plan.limit === 0) return [];
    const docs = await this.docs(this.messages.find(plan.filter).sort(plan.sort).skip(plan.skip).limit(plan.limit));
    return plan.descending ? docs.reverse() : docs;
  }

  async listAfter(conversation: ConversationKey, afterId: number, limit: number): Promise<MessageJson[]> {
    const n = Math.max(0, Math.floor(limit));
    if (n === 0) return [];
    return this.docs(this.messages.find({ conversation, id: { $gt: afterId } }).sort({ id: 1 }).limit(n));
  }

  async countTagged(conversation: ConversationKey, tag: string): Promise<number> {
    return this.messages.countDocuments({ conversation, tags_lc: normalizeTag(tag) });
  }

  async getThread(conversation: ConversationKey, threadId: string): Promise<ThreadState | null> {
    const row = await this.threads.findOne({ conversation, id: threadId }, { projection: { doc: 1 } });
    return row?.doc ?? null;
  }

  async listThreads(conversation: ConversationKey, query: ThreadQuery): Promise<ThreadState[]> {
    const plan = buildThreadFind(conversation, query);
    if (plan.limit === 0) return [];
    const rows = await this.threads.find(plan.filter, { projection: { doc: 1 } }).sort(plan.sort).limit(plan.limit).toArray();
    return rows.map((r) => r.doc);
  }

  /** Closes the connection only when the store opened it (constructed from a URL). */
  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }

  private async docs(cursor: ReturnType<Collection<MessageRow>['find']>): Promise<MessageJson[]> {
    const rows = await cursor.project<{ doc: MessageJson }>({ _id: 0, doc: 1 }).toArray();
    return rows.map((r) => r.doc);
  }
}
