/** Query building for the MongoDB message store: documents' shapes and filters from MessageQuery/ThreadQuery. */
import type { Filter, Sort } from 'mongodb';
import type { ConversationKey, MessageJson, ThreadState } from '../../core/domain/types';
import { type MessageIndexFields, normalizeKeywords, normalizeTags } from '../../core/messaging/search-text';
import type { MessageQuery, ThreadQuery } from '../../core/ports/message-store';

/** A document of `messages`: the indexed fields beside the whole message JSON. */
export interface MessageRow extends MessageIndexFields {
  doc: MessageJson;
}

/** A document of `threads`; `updated_at` is a Date so that it sorts and compares as a time. */
export interface ThreadRow {
  conversation: ConversationKey;
  id: string;
  updated_at: Date;
  doc: ThreadState;
}

/** A document of `shard_leases`: the current fencing token of a shard (written by the lease, read here). */
export interface LeaseRow {
  shard: number;
  token: number;
}

/** How to run a find: Mongo's `limit: 0` means "no limit", so callers return [] when `limit` is 0. */
export interface FindPlan<T> {
  filter: Filter<T>;
  sort: Sort;
  skip: number;
  limit: number;
}

/** Escapes regular-expression syntax so that a keyword matches literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The find for `list`: filtered messages picked newest-first (oldest-first for `sort: asc`),
 * limited and skipped in that order. `descending` tells the caller to reverse the result,
 * since the output is always ascending by id.
 */
export function buildMessageFind(conversation: ConversationKey, query: MessageQuery): FindPlan<MessageRow> & { descending: boolean } {
  const filter: Filter<MessageRow> = { conversation };
  // An empty list means "no filter", as an absent one does (same as the Postgres engine).
  if (query.events?.length) filter.event = { $in: query.events };
  if (query.sinceId !== undefined || query.untilId !== undefined) {
    filter.id = {
      ...(query.sinceId !== undefined ? { $gt: query.sinceId } : {}),
      ...(query.untilId !== undefined ? { $lt: query.untilId } : {}),
    };
  }
  if (query.threadId !== undefined) filter.thread_id = query.threadId;
  if (query.notByUser !== undefined) (filter as Record<string, unknown>)['doc.user'] = { $ne: query.notByUser };
  const tags = normalizeTags(query.tags ?? []);
  if (tags.length) filter.tags_lc = query.tagMode === 'or' ? { $in: tags } : { $all: tags };
  // search_text and keywords are both lowercased in JS, so no `i` flag is needed (nor Unicode folding).
  const keywords = normalizeKeywords(query.search ?? []);
  if (keywords.length) filter.$and = keywords.map((k) => ({ search_text: { $regex: escapeRegex(k) } }));
  const descending = query.sort !== 'asc';
  return {
    filter,
    sort: { id: descending ? -1 : 1 },
    skip: Math.max(0, Math.floor(query.skip ?? 0)),
    limit: Math.max(0, Math.floor(query.limit)),
    descending,
  };
}

/** The find for `listThreads`: most recently updated first, bounded strictly by until/since. */
export function buildThreadFind(conversation: ConversationKey, query: ThreadQuery): FindPlan<ThreadRow> {
  const filter: Filter<ThreadRow> = { conversation };
  if (query.until !== undefined || query.since !== undefined) {
    filter.updated_at = {
      ...(query.until !== undefined ? { $lt: new Date(query.until) } : {}),
      ...(query.since !== undefined ? { $gt: new Date(query.since) } : {}),
    };
  }
  // id breaks ties so that paging by `until` is deterministic.
  return { filter, sort: { updated_at: -1, id: -1 }, skip: 0, limit: Math.max(0, Math.floor(query.limit)) };
}
