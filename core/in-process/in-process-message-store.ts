/**
 * InProcessMessageStore: the MessageStore in memory, for unit tests of the backend and the
 * streaming API. It passes the engines' contract suite (core/contracts/message-store.contract.ts):
 * atomic batches, unique (conversation, id) and (conversation, uuid), fencing, and the same
 * tag and keyword matching (core/messaging/search-text.ts).
 */
import type { ConversationKey, MessageJson, ThreadState } from '../domain/types';
import { FencedOffError, StoreConflictError } from '../errors';
import { type MessageIndexFields, messageIndexFields, normalizeKeywords, normalizeTag, normalizeTags } from '../messaging/search-text';
import type { Fence, MessageBatch, MessageQuery, MessageStore, ThreadQuery } from '../ports/message-store';

/** A stored message: its JSON as a JSON column would give it back, and the fields queries match on. */
interface Row {
  index: MessageIndexFields;
  doc: MessageJson;
}

/** One conversation's messages by id and the ids of its uuids. */
interface Conversation {
  byId: Map<number, Row>;
  idOfUuid: Map<string, number>;
  threads: Map<string, ThreadState>;
}

export interface InProcessMessageStoreOptions {
  /**
   * The current fencing token of a shard, from whatever hands out the leases (see
   * InProcessShardLeases); undefined when the shard was never leased, so any token is accepted.
   */
  leaseToken?: (shard: number) => number | undefined;
}

/** What a JSON column stores: undefined fields dropped, a copy the caller cannot change afterwards. */
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class InProcessMessageStore implements MessageStore {
  private readonly conversations = new Map<ConversationKey, Conversation>();
  private readonly leaseToken: (shard: number) => number | undefined;

  constructor(options: InProcessMessageStoreOptions = {}) {
    this.leaseToken = options.leaseToken ?? (() => undefined);
  }

  async prepare(): Promise<void> {}

  /** Checks the whole batch against a copy of the touched conversations, then swaps them in: all or nothing. */
  async writeBatch(batch: MessageBatch, fence: Fence): Promise<void> {
    const current = this.leaseToken(fence.shard);
    if (current !== undefined && current !== fence.token) throw new FencedOffError(fence.shard, fence.token);
    const staged = new Map<ConversationKey, Conversation>();
    const draft = (key: ConversationKey): Conversation => {
      let c = staged.get(key);
      if (!c) {
        const live = this.conversations.get(key);
        c = { byId: new Map(live?.byId), idOfUuid: new Map(live?.idOfUuid), threads: new Map(live?.threads) };
        staged.set(key, c);
      }
      return c;
    };
    for (const { conversation, message } of batch.inserts) {
      const c = draft(conversation);
      if (c.byId.has(message.id)) throw new StoreConflictError(`message batch conflicts: id ${message.id} is taken in ${conversation}`);
      if (c.idOfUuid.has(message.uuid)) throw new StoreConflictError(`message batch conflicts: uuid ${message.uuid} is taken in ${conversation}`);
      this.put(c, conversation, message);
    }
    for (const { conversation, message } of batch.updates) {
      const c = draft(conversation);
      const before = c.byId.get(message.id);
      if (!before) continue; // as an UPDATE that matches no row
      const owner = c.idOfUuid.get(message.uuid);
      if (owner !== undefined && owner !== message.id) throw new StoreConflictError(`message batch conflicts: uuid ${message.uuid} is taken in ${conversation}`);
      c.idOfUuid.delete(before.index.uuid);
      this.put(c, conversation, message);
    }
    for (const { conversation, thread } of batch.threads) draft(conversation).threads.set(thread.id, stored(thread));
    for (const [key, c] of staged) this.conversations.set(key, c);
  }

  /** A batch is staged on copies and swapped in whole: a refused one was never seen. */
  async hidesRefusedBatches(): Promise<boolean> {
    return true;
  }

  /** It knows no directory: posters are not checked, and the edges ask the directory for every post. */
  checksPosters(): boolean {
    return false;
  }

  async lastId(conversation: ConversationKey): Promise<number> {
    return Math.max(0, ...(this.conversations.get(conversation)?.byId.keys() ?? []));
  }

  async findByUuids(conversation: ConversationKey, uuids: string[]): Promise<MessageJson[]> {
    const c = this.conversations.get(conversation);
    if (!c) return [];
    const found = uuids.flatMap((uuid) => c.idOfUuid.get(uuid) ?? []);
    return [...new Set(found)].sort((a, b) => a - b).map((id) => stored(c.byId.get(id)!.doc));
  }

  async get(conversation: ConversationKey, id: number): Promise<MessageJson | null> {
    const row = this.conversations.get(conversation)?.byId.get(id);
    return row ? stored(row.doc) : null;
  }

  /** The filtered messages picked newest-first (oldest-first for `sort: asc`), skipped and limited in that order, returned ascending. */
  async list(conversation: ConversationKey, query: MessageQuery): Promise<MessageJson[]> {
    const tags = normalizeTags(query.tags ?? []);
    const keywords = normalizeKeywords(query.search ?? []);
    const matches = (i: MessageIndexFields, user: unknown): boolean =>
      (!query.events?.length || query.events.includes(i.event)) &&
      (query.sinceId === undefined || i.id > query.sinceId) &&
      (query.untilId === undefined || i.id < query.untilId) &&
      (query.threadId === undefined || i.thread_id === query.threadId) &&
      (query.notByUser === undefined || user !== query.notByUser) &&
      (tags.length === 0 || (query.tagMode === 'or' ? tags.some((t) => i.tags_lc.includes(t)) : tags.every((t) => i.tags_lc.includes(t)))) &&
      keywords.every((k) => i.search_text.includes(k));
    const rows = this.rows(conversation).filter((r) => matches(r.index, r.doc.user));
    if (query.sort !== 'asc') rows.reverse();
    const skip = Math.max(0, Math.floor(query.skip ?? 0));
    const picked = rows.slice(skip, skip + Math.max(0, Math.floor(query.limit)));
    return picked.sort((a, b) => a.index.id - b.index.id).map((r) => stored(r.doc));
  }

  async listAfter(conversation: ConversationKey, afterId: number, limit: number): Promise<MessageJson[]> {
    const rows = this.rows(conversation).filter((r) => r.index.id > afterId);
    return rows.slice(0, Math.max(0, Math.floor(limit))).map((r) => stored(r.doc));
  }

  async countTagged(conversation: ConversationKey, tag: string): Promise<number> {
    const wanted = normalizeTag(tag);
    return this.rows(conversation).filter((r) => r.index.tags_lc.includes(wanted)).length;
  }

  async getThread(conversation: ConversationKey, threadId: string): Promise<ThreadState | null> {
    const thread = this.conversations.get(conversation)?.threads.get(threadId);
    return thread ? stored(thread) : null;
  }

  /** Newest update first; the id breaks ties, descending, as the Postgres engine orders them. */
  async listThreads(conversation: ConversationKey, query: ThreadQuery): Promise<ThreadState[]> {
    const at = (iso: string): number => Date.parse(iso);
    const threads = [...(this.conversations.get(conversation)?.threads.values() ?? [])].filter(
      (t) => (query.until === undefined || at(t.updated_at) < at(query.until)) && (query.since === undefined || at(t.updated_at) > at(query.since)),
    );
    threads.sort((a, b) => at(b.updated_at) - at(a.updated_at) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return threads.slice(0, Math.max(0, Math.floor(query.limit))).map(stored);
  }

  async close(): Promise<void> {}

  private put(c: Conversation, conversation: ConversationKey, message: MessageJson): void {
    c.byId.set(message.id, { index: messageIndexFields(conversation, message), doc: stored(message) });
    c.idOfUuid.set(message.uuid, message.id);
  }

  /** A conversation's messages, ascending by id. */
  private rows(conversation: ConversationKey): Row[] {
    return [...(this.conversations.get(conversation)?.byId.values() ?? [])].sort((a, b) => a.index.id - b.index.id);
  }
}
