/** ConversationCursors: per connection, the last message id sent in each conversation; holds live events during a backfill. */
import type { Envelope } from './envelope';
import type { EnvelopeBatch } from './envelope-batch';
import { SmallMap } from './small-map';

/** The resume state of one conversation on one connection. */
export interface CursorState {
  last: number;
  /** Live events received while the backfill runs; null once released. */
  pending: Envelope[] | null;
}

/** What to do with a live event: send it, drop it (a duplicate, or held aside), or fill a gap first. */
export type Admission = 'send' | 'skip' | 'gap';

/**
 * Gap- and duplicate-free delivery: an event with an id is let through only if it is the next
 * id of its conversation. Older ids are duplicates and dropped. A newer one means events were
 * lost on the way (a bus reconnect, a failover): the conversation is held, the event kept aside,
 * and the caller fills the gap from the store before releasing it. While a conversation is held
 * (a backfill or a gap fill runs) live events are kept aside and released afterwards, minus what
 * the fill already covered.
 */
export class ConversationCursors {
  private readonly states = new SmallMap<CursorState>();

  /**
   * Whether the event is to be sent now. On 'gap' the conversation is now held with this event
   * kept aside; the caller fills from {@link stateOf}'s `last` and then calls {@link release}.
   * A conversation with no known position (`last` -1) starts at whatever comes first.
   */
  admit(envelope: Envelope): Admission {
    const { id, conversation } = envelope;
    if (id === null || conversation === null) return 'send';
    const state = this.states.get(conversation);
    if (!state) {
      this.states.set(conversation, { last: id, pending: null });
      return 'send';
    }
    if (state.pending) {
      state.pending.push(envelope);
      return 'skip';
    }
    if (id <= state.last) return 'skip';
    if (state.last >= 0 && id > state.last + 1) {
      state.pending = [envelope];
      return 'gap';
    }
    state.last = id;
    return 'send';
  }

  /**
   * The whole batch at once, when {@link admit} would answer 'send' to each of its events in turn:
   * no ids, or ids that continue the conversation's position (or start it). Otherwise false and
   * nothing changed: the caller admits the events one by one.
   */
  admitBatch(batch: EnvelopeBatch): boolean {
    const run = batch.run;
    if (run === null) return true;
    if (run === undefined) return false;
    const state = this.states.get(run.conversation);
    if (!state) {
      this.states.set(run.conversation, { last: run.last, pending: null });
      return true;
    }
    if (state.pending || (state.last >= 0 && run.first !== state.last + 1)) return false;
    state.last = run.last;
    return true;
  }

  /** The resume state of a conversation, if it has one. */
  stateOf(conversation: string): CursorState | undefined {
    return this.states.get(conversation);
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
   * If the held events themselves skip an id, the release stops there: `gap` is true, the
   * conversation stays held with the rest kept aside, and the caller fills again from `last`.
   */
  release(conversation: string, state: CursorState, last: number): { events: Envelope[]; gap: boolean } {
    if (this.states.get(conversation) !== state || !state.pending) return { events: [], gap: false };
    const held = state.pending;
    state.last = Math.max(state.last, last);
    const events: Envelope[] = [];
    for (let i = 0; i < held.length; i++) {
      const envelope = held[i]!;
      if (envelope.id !== null) {
        if (envelope.id <= state.last) continue;
        if (state.last >= 0 && envelope.id > state.last + 1) {
          state.pending = held.slice(i);
          return { events, gap: true };
        }
        state.last = envelope.id;
      }
      events.push(envelope);
    }
    state.pending = null;
    return { events, gap: false };
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
    for (const [conversation, state] of this.states.entries()) if (state.last >= 0) out[conversation] = state.last;
    return out;
  }
}
