/** ConversationCursors: per connection, the last message id sent in each conversation; holds live events during a backfill. */
import type { Envelope } from './envelope';

/** The resume state of one conversation on one connection. */
export interface CursorState {
  last: number;
  /** Live events received while the backfill runs; null once released. */
  pending: Envelope[] | null;
}

/**
 * Gap- and duplicate-free delivery: an event with an id is let through only if it is newer than
 * the last id sent in its conversation. While a conversation is held (its backfill is running)
 * live events are kept aside and released after the backfill, minus what it already covered.
 */
export class ConversationCursors {
  private readonly states = new Map<string, CursorState>();

  /** True when the event is to be sent now; false when it is a duplicate or is held. */
  admit(envelope: Envelope): boolean {
    const { id, conversation } = envelope;
    if (id === null || conversation === null) return true;
    const state = this.states.get(conversation);
    if (!state) {
      this.states.set(conversation, { last: id, pending: null });
      return true;
    }
    if (state.pending) {
      state.pending.push(envelope);
      return false;
    }
    if (id <= state.last) return false;
    state.last = id;
    return true;
  }

  /**
   * Starts holding live events of the conversation from position `since` (unknown: -1, kept out
   * of the snapshot); returns the state, the token for {@link release}.
   */
  hold(conversation: string, since: number | undefined): CursorState {
    const state: CursorState = { last: since ?? -1, pending: [] };
    this.states.set(conversation, state);
    return state;
  }

  /**
   * Ends the hold: `last` is the newest id the client now has (backfilled or known). Returns the
   * held events still to send, in arrival order; empty when the hold was cancelled meanwhile.
   */
  release(conversation: string, state: CursorState, last: number): Envelope[] {
    if (this.states.get(conversation) !== state || !state.pending) return [];
    const held = state.pending;
    state.pending = null;
    state.last = last;
    const out: Envelope[] = [];
    for (const envelope of held) {
      if (envelope.id !== null) {
        if (envelope.id <= state.last) continue;
        state.last = envelope.id;
      }
      out.push(envelope);
    }
    return out;
  }

  /** False once the conversation was forgotten or held again after `state` was handed out. */
  isCurrent(conversation: string, state: CursorState): boolean {
    return this.states.get(conversation) === state;
  }

  forget(conversation: string): void {
    this.states.delete(conversation);
  }

  lastId(conversation: string): number | undefined {
    return this.states.get(conversation)?.last;
  }

  /** conversation → last id of every conversation with a known position (the SSE cursor); 0 = empty so far. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [conversation, state] of this.states) if (state.last >= 0) out[conversation] = state.last;
    return out;
  }
}
