/** MessageStore: where messages and thread states are persisted. Engines: Postgres (default), MongoDB. */
import type { ConversationKey, MessageJson, ThreadState } from '../domain/types';

export interface MessageQuery {
  /** Event types to include; all when absent. */
  events?: string[];
  /** 1..100 (the API clamps); the store returns at most this many. */
  limit: number;
  /** `desc` (default) picks the newest matching messages, `asc` the oldest; output is always ascending by id. */
  sort?: 'asc' | 'desc';
  /** Exclusive bounds on id. */
  sinceId?: number;
  untilId?: number;
  /** Tags to match, compared case-insensitively; `and` (default) needs all, `or` any. */
  tags?: string[];
  tagMode?: 'and' | 'or';
  /** Keywords that must all appear in the text content (case-insensitive). */
  search?: string[];
  /** Offset, for search paging. */
  skip?: number;
  /** Only messages of this thread. */
  threadId?: string;
  /** Leaves out the messages of this user (an unread count: one's own messages are never unread). */
  notByUser?: string;
}

export interface ThreadQuery {
  limit: number;
  /** Only threads updated strictly before / after (ISO time). */
  until?: string;
  since?: string;
}

/** One message write of a batch: the conversation it belongs to and its full JSON. */
export interface MessageRecord {
  conversation: ConversationKey;
  message: MessageJson;
}

/** A fencing token: the store refuses the batch if `token` is not the shard's current lease. */
export interface Fence {
  shard: number;
  token: number;
}

export interface MessageBatch {
  /** New messages; (conversation, id) and (conversation, uuid) must be unused. */
  inserts: MessageRecord[];
  /** Replacements of existing messages (edits, tag changes, deletions), by (conversation, id). */
  updates: MessageRecord[];
  /** Thread states to create or replace, by (conversation, id). */
  threads: { conversation: ConversationKey; thread: ThreadState }[];
  /**
   * The members whose posts this batch inserts into their flows. A store that checks posters
   * ({@link MessageStore.checksPosters}) writes nothing of the batch unless each of them may still
   * post there when it is written, and throws PosterRefusedError naming those who may not (ADR 035).
   */
  posters?: PosterCheck[];
}

/** A member posting into a flow, to be checked when the post is written. */
export interface PosterCheck {
  flowId: string;
  userId: number;
}

export interface MessageStore {
  /** Creates tables/collections and indexes; safe to call on every start. */
  prepare(): Promise<void>;
  /** Writes the whole batch atomically, or nothing: throws StoreConflictError or FencedOffError. */
  writeBatch(batch: MessageBatch, fence: Fence): Promise<void>;
  /**
   * Whether a batch refused with StoreConflictError was never visible to readers, not even for a
   * moment: what lets the backend write a batch of posts before looking up its uuids (ADR 033).
   */
  hidesRefusedBatches(): Promise<boolean>;
  /**
   * Whether writeBatch checks the batch's `posters` against the directory in the same atomic write:
   * what lets the edges admit a member's post from a cached answer (ADR 035). Only a store beside
   * the directory can (Postgres); the others ignore `posters`, and their edges ask the directory.
   */
  checksPosters(): boolean;
  /** Highest message id in a conversation (0 when empty). */
  lastId(conversation: ConversationKey): Promise<number>;
  /** Messages of a conversation that carry one of these uuids. */
  findByUuids(conversation: ConversationKey, uuids: string[]): Promise<MessageJson[]>;
  get(conversation: ConversationKey, id: number): Promise<MessageJson | null>;
  list(conversation: ConversationKey, query: MessageQuery): Promise<MessageJson[]>;
  /** Messages with id > afterId, ascending, at most `limit`: the resume backfill. */
  listAfter(conversation: ConversationKey, afterId: number, limit: number): Promise<MessageJson[]>;
  /** Number of messages carrying `tag` (for unread mentions). */
  countTagged(conversation: ConversationKey, tag: string): Promise<number>;
  getThread(conversation: ConversationKey, threadId: string): Promise<ThreadState | null>;
  listThreads(conversation: ConversationKey, query: ThreadQuery): Promise<ThreadState[]>;
  close(): Promise<void>;
}
