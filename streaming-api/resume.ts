/**
 * Resume without gap or duplicate: subscribe first, hold live events, backfill from the store, then
 * release the held events minus what the backfill covered. Used by WebSocket `since` and SSE Last-Event-ID.
 */
import type { MessageJson } from '../core/domain/types';
import type { MessageStore } from '../core/ports/message-store';
import type { Connection } from './connection';
import type { Hub } from './hub';

/** One conversation to bring up to date on a channel. */
export interface ResumeTarget {
  conversation: string;
  /** Last id the client has; undefined = it wants only what comes next. */
  since?: number;
}

/** Where a conversation stands once resumed. */
export interface ResumeOutcome {
  conversation: string;
  /** Newest id the client has now (backfilled, or the store's last when it named no `since`). */
  lastId: number;
  /** More than maxBackfill were missed: nothing was backfilled; the client must refetch via REST up to lastId. */
  resync: boolean;
}

export interface ResumeDeps {
  store: MessageStore;
  /** Knows the last id of a channel another subscriber already read (ADR 032). */
  hub: Hub;
  maxBackfill: number;
  /** The store's last id of a conversation, read after the call (concurrent callers may share one read). */
  lastId(conversation: string): Promise<number>;
}

export interface ResumeOptions {
  /** What the transport calls the channel (see {@link Connection.labelOf}). */
  label?: string;
  /** Ask the store for the last id when the client named none (WS `last_id`, the SSE cursor). */
  needLastId: boolean;
  /**
   * Called between the backfill and the release of held live events, so that a control frame
   * (`subscribed`, `resync`) lands exactly there. Not called when the hold was cancelled.
   */
  announce?: (outcome: ResumeOutcome) => void;
}

/**
 * Joins `channel` and resumes each target on `connection`. Rejects (leaving the cursors of the
 * targets forgotten) if the bus or the store fails; the caller reports it.
 */
export async function resumeChannel(
  deps: ResumeDeps,
  connection: Connection,
  channel: string,
  targets: readonly ResumeTarget[],
  options: ResumeOptions,
): Promise<ResumeOutcome[]> {
  const holds = targets.map((t) => ({ target: t, state: connection.cursors.hold(t.conversation, t.since) }));
  try {
    // The subscription is active before the store is read: anything persisted after the read
    // is published after it, and so is held rather than missed.
    await connection.join(channel, options.label);
    const outcomes: ResumeOutcome[] = [];
    for (const { target, state } of holds) {
      const { conversation, since } = target;
      let messages: MessageJson[] = [];
      let lastId: number;
      let resync = false;
      if (since !== undefined) {
        messages = await deps.store.listAfter(conversation, since, deps.maxBackfill + 1);
        resync = messages.length > deps.maxBackfill;
        if (resync) messages = [];
        lastId = resync ? await lastIdOf(deps, connection, channel, conversation) : (messages.at(-1)?.id ?? since);
      } else {
        lastId = options.needLastId ? await lastIdOf(deps, connection, channel, conversation) : -1;
      }
      // Synchronous from here on: backfill, announce and held events are queued in that order.
      if (!connection.cursors.isCurrent(conversation, state)) continue;
      for (const message of messages) connection.enqueueBackfill(message, state);
      const outcome = { conversation, lastId: Math.max(lastId, 0), resync };
      options.announce?.(outcome);
      connection.releaseHeld(conversation, state, lastId);
      outcomes.push(outcome);
    }
    return outcomes;
  } catch (error) {
    for (const { target, state } of holds) {
      if (connection.cursors.isCurrent(target.conversation, state)) connection.cursors.forget(target.conversation);
    }
    throw error;
  }
}

/**
 * Where a subscriber that names no position starts: on a warm channel (another subscriber's store
 * read was noted on this subscription) the hub's last id, with no database round trip; otherwise
 * the store's, read now (after the join), which the hub then keeps for the next subscribers (ADR 032).
 */
async function lastIdOf(deps: ResumeDeps, connection: Connection, channel: string, conversation: string): Promise<number> {
  const known = deps.hub.knownLastId(channel, connection, conversation);
  if (known !== undefined) return known;
  const read = await deps.lastId(conversation);
  deps.hub.noteLastId(channel, connection, conversation, read);
  return read;
}
