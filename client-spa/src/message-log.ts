/**
 * One flow's messages as the app shows them, built from history pages, live events and the user's
 * own pending posts, in any order and any number of times: each stored message appears once, in id
 * order, and a pending post is replaced by its stored self (same uuid). Pure; unit-tested.
 */
import type { Attachment, ChatMessage, FlowEvent } from './types';

export interface MessageLog {
  /** Stored messages by id. */
  readonly byId: ReadonlyMap<number, ChatMessage>;
  /** The user's posts not yet stored, by uuid, in the order sent. */
  readonly pending: readonly ChatMessage[];
  /** The highest event id seen (messages and edits): where a resume starts. */
  readonly lastId: number;
  /** The lowest event id of the history fetched so far (0: none fetched): where scrolling back goes on from. */
  readonly oldestId: number;
  /** Whether the store holds events older than `oldestId`. */
  readonly hasEarlier: boolean;
}

export const emptyLog = (): MessageLog => ({ byId: new Map(), pending: [], lastId: 0, oldestId: 0, hasEarlier: false });

/**
 * Applies one page of history (the newest page, or the one before `oldestId`): a page shorter than
 * the `limit` asked for means the beginning of the flow was reached.
 */
export function applyHistoryPage(log: MessageLog, page: readonly FlowEvent[], limit: number): MessageLog {
  const next = applyEvents(log, page);
  const lowest = page.reduce((min, e) => Math.min(min, e.id), Number.POSITIVE_INFINITY);
  const oldestId = page.length ? (log.oldestId ? Math.min(log.oldestId, lowest) : lowest) : log.oldestId;
  return { ...next, oldestId, hasEarlier: page.length >= limit };
}

const textOf = (content: unknown): string => (typeof content === 'string' ? content : '');

/** A stored chat message event as the list shows it. */
export const chatMessageOf = (e: FlowEvent): ChatMessage => ({
  id: e.id, uuid: e.uuid ?? `id-${e.id}`, user: e.user, text: textOf(e.content), sent: e.sent, ...(e.tags ? { tags: e.tags } : {}),
  ...(e.event === 'file' ? { file: e.content as Attachment } : {}),
  ...(e.thread_id ? { threadId: e.thread_id } : {}),
  ...(e.thread && e.thread.initial_message !== e.id ? { replyIn: e.thread.title } : {}),
});

/** How many replies each thread has among the loaded messages, by thread id. */
export function replyCounts(messages: readonly ChatMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) if (m.replyIn !== undefined && m.threadId) counts.set(m.threadId, (counts.get(m.threadId) ?? 0) + 1);
  return counts;
}

/** Applies stored events (history or live); unknown kinds only move `lastId`. */
export function applyEvents(log: MessageLog, events: readonly FlowEvent[]): MessageLog {
  if (events.length === 0) return log;
  const byId = new Map(log.byId);
  let pending = log.pending;
  let lastId = log.lastId;
  for (const e of events) {
    lastId = Math.max(lastId, e.id);
    if (e.event === 'message' || e.event === 'file') {
      if (byId.has(e.id)) continue;
      byId.set(e.id, chatMessageOf(e));
      if (e.uuid) pending = pending.filter((p) => p.uuid !== e.uuid);
    } else if (e.event === 'message-edit') {
      const change = e.content as { message?: number; updated_content?: string } | null;
      const target = change?.message === undefined ? undefined : byId.get(change.message);
      if (target && typeof change?.updated_content === 'string') byId.set(target.id!, { ...target, text: change.updated_content, edited: true });
    }
  }
  return { ...log, byId, pending, lastId };
}

/**
 * The user's own post as the REST API answered it: shown in place of its pending self, but `lastId`
 * stays where the live stream left it. A post stored while the stream was down has a higher id than
 * what others posted meanwhile; resuming after it would skip those. The stream delivers the post
 * again in its turn, and it is kept once.
 */
export function applyStoredPost(log: MessageLog, stored: FlowEvent): MessageLog {
  return { ...applyEvents(log, [stored]), lastId: log.lastId };
}

/** Shows a post at once, before the server has stored it. */
export function addPending(log: MessageLog, message: ChatMessage): MessageLog {
  return { ...log, pending: [...log.pending, { ...message, pending: true }] };
}

/** Marks a pending post as waiting for the connection (it will be sent again). */
export function queuePending(log: MessageLog, uuid: string): MessageLog {
  return { ...log, pending: log.pending.map((p) => (p.uuid === uuid ? { ...p, queued: true } : p)) };
}

/** Marks a pending post as failed, with the reason shown beside it. */
export function failPending(log: MessageLog, uuid: string, reason: string): MessageLog {
  return { ...log, pending: log.pending.map((p) => (p.uuid === uuid ? { ...p, failed: reason } : p)) };
}

/** What the list renders: stored messages by id, then the pending ones. Deleted messages (emptied) are left out. */
export function visibleMessages(log: MessageLog): ChatMessage[] {
  const stored = [...log.byId.values()].filter((m) => !(m.edited && m.text === '')).sort((a, b) => a.id! - b.id!);
  return [...stored, ...log.pending];
}
