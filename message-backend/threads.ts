/** Thread bookkeeping for new messages: which thread a message starts or joins, and its new state. */
import { randomBytes } from 'node:crypto';
import type { MessageJson, ThreadState } from '../core/domain/types';
import type { MessageDraft } from '../core/messaging/commands';

/** Chat events that start a thread of their own when posted without one (hubot replies into it). */
const THREAD_STARTERS = new Set(['message', 'line', 'file']);

export const newThreadId = (): string => randomBytes(12).toString('base64url');

function titleOf(draft: MessageDraft): string {
  if (typeof draft.content === 'string') return draft.content.slice(0, 200);
  return draft.title ?? draft.event;
}

/**
 * The thread state after `message` joins it (or starts it when `current` is null), or null when
 * the message is not threaded.
 */
export function nextThreadState(draft: MessageDraft, message: MessageJson, current: ThreadState | null, now: Date): ThreadState | null {
  const threadId = draft.thread_id ?? (THREAD_STARTERS.has(draft.event) ? newThreadId() : null);
  if (!threadId) return null;
  const iso = now.toISOString();
  const base: ThreadState = current ?? {
    id: threadId,
    title: draft.thread?.title ?? titleOf(draft),
    initial_message: message.id,
    flow: draft.flow ?? null,
    activities: 0,
    internal_comments: 0,
    external_comments: 0,
    created_at: iso,
    updated_at: iso,
  };
  const counted =
    draft.event === 'activity' ? { activities: base.activities + 1 }
    : draft.event === 'discussion' ? { external_comments: base.external_comments + 1 }
    : current ? { internal_comments: base.internal_comments + 1 }
    : {};
  return { ...base, ...(draft.thread ?? {}), ...counted, id: threadId, updated_at: iso };
}
