/** SQL building for the Postgres message store: the one-statement batch write and the list query. */
import type { ConversationKey } from '../../core/domain/types';
import { normalizeKeywords, normalizeTags, messageIndexFields } from '../../core/messaging/search-text';
import type { MessageBatch, MessageQuery, MessageRecord } from '../../core/ports/message-store';

/** A parameterised statement, as `pg` takes it. */
export interface SqlQuery {
  text: string;
  values: unknown[];
}

const MESSAGE_RECORD_COLUMNS =
  'conversation text, id bigint, uuid text, event text, sent bigint, thread_id text, tags_lc text[], search_text text, doc jsonb';

/**
 * The whole batch as ONE statement, hence one round trip and one implicit transaction: a unique
 * violation anywhere rolls all of it back. The fence is read `FOR SHARE` so that a lease
 * acquisition bumping the token either commits before (and we see the new token) or waits
 * until this write is done. When the token is stale every write is skipped and `fenced_in` is
 * false. With no lease row for the shard the write is accepted: there is no newer owner to protect.
 *
 * The posters ($6, ADR 035) are checked in the same statement: `held` is the access policy's
 * "post" rule (core/access/flow-policy.ts: an active member of the flow's organization and of the
 * flow, not blocked, not left, the flow not archived; poster-check.test.ts holds the two to
 * agreeing). A plain read is enough for "at once": a post sent after a block was answered was
 * queued after the block committed, so this statement's snapshot sees it. (Locking the membership
 * rows would only order posts racing the block, at the price of deadlocks with removals.) When one
 * poster may not post, every write is skipped and `refused` names them.
 */
export const WRITE_BATCH_SQL = `
WITH lease AS (
  SELECT token FROM shard_leases WHERE shard = $1 FOR SHARE
), poster AS (
  SELECT p.flow_id, p.user_id FROM jsonb_to_recordset($6::jsonb) AS p(flow_id text, user_id bigint)
), held AS (
  SELECT m.flow_id, m.user_id, f.disabled AS archived
  FROM flow_members m
  JOIN poster p ON p.flow_id = m.flow_id AND p.user_id = m.user_id
  JOIN flows f ON f.id = m.flow_id
  JOIN organization_members om ON om.organization_id = f.organization_id AND om.user_id = m.user_id
  WHERE NOT m.disabled AND m.in_flow
), refused AS (
  SELECT p.flow_id, p.user_id, h.archived IS NOT NULL AS archived
  FROM poster p LEFT JOIN held h ON h.flow_id = p.flow_id AND h.user_id = p.user_id
  WHERE h.archived IS NOT FALSE
), fenced AS (
  SELECT NOT EXISTS (SELECT 1 FROM lease WHERE token <> $2) AS fenced_in
), fence AS (
  SELECT fenced_in AND NOT EXISTS (SELECT 1 FROM refused) AS ok FROM fenced
), ins AS (
  INSERT INTO messages (conversation, id, uuid, event, sent, thread_id, tags, search_text, doc)
  SELECT r.conversation, r.id, r.uuid, r.event, r.sent, r.thread_id, r.tags_lc, r.search_text, r.doc
  FROM jsonb_to_recordset($3::jsonb) AS r(${MESSAGE_RECORD_COLUMNS})
  WHERE (SELECT ok FROM fence)
  RETURNING 1
), upd AS (
  UPDATE messages m
  SET uuid = r.uuid, event = r.event, sent = r.sent, thread_id = r.thread_id, tags = r.tags_lc,
      search_text = r.search_text, doc = r.doc
  FROM jsonb_to_recordset($4::jsonb) AS r(${MESSAGE_RECORD_COLUMNS})
  WHERE (SELECT ok FROM fence) AND m.conversation = r.conversation AND m.id = r.id
  RETURNING 1
), thr AS (
  INSERT INTO threads (conversation, id, updated_at, doc)
  SELECT r.conversation, r.id, r.updated_at, r.doc
  FROM jsonb_to_recordset($5::jsonb) AS r(conversation text, id text, updated_at timestamptz, doc jsonb)
  WHERE (SELECT ok FROM fence)
  ON CONFLICT (conversation, id) DO UPDATE SET updated_at = EXCLUDED.updated_at, doc = EXCLUDED.doc
  RETURNING 1
)
SELECT (SELECT fenced_in FROM fenced) AS fenced_in,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('flowId', flow_id, 'userId', user_id, 'archived', archived)), '[]') FROM refused) AS refused,
       (SELECT count(*) FROM ins)::int AS inserted,
       (SELECT count(*) FROM upd)::int AS updated,
       (SELECT count(*) FROM thr)::int AS threads`;

const recordKey = (r: { conversation: string }, id: string | number): string => `${r.conversation}\u0000${id}`;

/**
 * Folds a batch so that no row is touched twice by one statement (Postgres refuses that for
 * `ON CONFLICT`, and an `UPDATE … FROM` would not see a row inserted by the same statement):
 * an update of a message inserted in this batch replaces the insert's JSON, repeated updates
 * and thread states keep the last one. Inserts are kept as they are so duplicates still conflict.
 */
export function compactBatch(batch: MessageBatch): MessageBatch {
  const inserts = batch.inserts.map((r) => ({ ...r }));
  const insertAt = new Map<string, MessageRecord>();
  for (const r of inserts) insertAt.set(recordKey(r, r.message.id), r);
  const updates = new Map<string, MessageRecord>();
  for (const u of batch.updates) {
    const key = recordKey(u, u.message.id);
    const inserted = insertAt.get(key);
    if (inserted) inserted.message = u.message;
    else updates.set(key, u);
  }
  const threads = new Map<string, MessageBatch['threads'][number]>();
  for (const t of batch.threads) threads.set(recordKey(t, t.thread.id), t);
  return { inserts, updates: [...updates.values()], threads: [...threads.values()], ...(batch.posters ? { posters: batch.posters } : {}) };
}

function recordsJson(records: MessageRecord[]): string {
  return JSON.stringify(records.map((r) => ({ ...messageIndexFields(r.conversation, r.message), doc: r.message })));
}

/** The parameters of WRITE_BATCH_SQL for a (compacted) batch under a fence. */
export function writeBatchValues(batch: MessageBatch, shard: number, token: number): unknown[] {
  const threads = batch.threads.map((t) => ({
    conversation: t.conversation,
    id: t.thread.id,
    updated_at: t.thread.updated_at,
    doc: t.thread,
  }));
  const posters = (batch.posters ?? []).map((p) => ({ flow_id: p.flowId, user_id: p.userId }));
  return [shard, token, recordsJson(batch.inserts), recordsJson(batch.updates), JSON.stringify(threads), JSON.stringify(posters)];
}

/** Escapes LIKE's wildcards so that a keyword matches literally (backslash is the default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The list query: the filtered messages picked newest-first (or oldest-first for `sort: asc`),
 * limited and skipped in that order, then returned ascending by id.
 */
export function buildListSql(conversation: ConversationKey, query: MessageQuery): SqlQuery {
  const values: unknown[] = [conversation];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  const where = ['conversation = $1'];
  // An empty list means "no filter", as an absent one does: `event=` with nothing is not a request for nothing.
  if (query.events?.length) where.push(`event = ANY(${param(query.events)}::text[])`);
  if (query.sinceId !== undefined) where.push(`id > ${param(query.sinceId)}`);
  if (query.untilId !== undefined) where.push(`id < ${param(query.untilId)}`);
  if (query.threadId !== undefined) where.push(`thread_id = ${param(query.threadId)}`);
  if (query.notByUser !== undefined) where.push(`doc->>'user' IS DISTINCT FROM ${param(query.notByUser)}`);
  const tags = normalizeTags(query.tags ?? []);
  if (tags.length) where.push(`tags ${query.tagMode === 'or' ? '&&' : '@>'} ${param(tags)}::text[]`);
  // search_text is stored lowercased and the keywords are lowercased the same way (in JS), so
  // LIKE is case-insensitive here without the engines disagreeing on Unicode case folding.
  for (const keyword of normalizeKeywords(query.search ?? [])) {
    where.push(`search_text LIKE ${param(`%${escapeLike(keyword)}%`)}`);
  }
  const direction = query.sort === 'asc' ? 'ASC' : 'DESC';
  const limit = param(Math.max(0, Math.floor(query.limit)));
  const offset = param(Math.max(0, Math.floor(query.skip ?? 0)));
  const text =
    `SELECT doc FROM (SELECT id, doc FROM messages WHERE ${where.join(' AND ')} ` +
    `ORDER BY id ${direction} LIMIT ${limit} OFFSET ${offset}) picked ORDER BY id ASC`;
  return { text, values };
}
