/** Who is typing where: a typing event holds for a few seconds, or until that person's message arrives. Pure; unit-tested. */

/** How long one typing event shows (clients send one every couple of seconds while typing). */
export const TYPING_SHOWN_MS = 4000;

/** Per flow id, per user id, until when they count as typing (ms). */
export type TypingState = ReadonlyMap<string, ReadonlyMap<string, number>>;

export function startedTyping(state: TypingState, flowId: string, userId: string, now: number): TypingState {
  const flow = new Map(state.get(flowId) ?? []);
  flow.set(userId, now + TYPING_SHOWN_MS);
  return new Map(state).set(flowId, flow);
}

/** Their message is here: they are no longer typing it. */
export function stoppedTyping(state: TypingState, flowId: string, userId: string): TypingState {
  if (!state.get(flowId)?.has(userId)) return state;
  const flow = new Map(state.get(flowId));
  flow.delete(userId);
  return new Map(state).set(flowId, flow);
}

/** Who is typing in a flow at `now`, in the order they started. */
export function typingIn(state: TypingState, flowId: string, now: number): string[] {
  return [...(state.get(flowId) ?? [])].filter(([, until]) => until > now).map(([user]) => user);
}

/** "ann is typing…", "ann and bob are typing…", "several people are typing…". */
export function typingSentence(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'several people are typing…';
}
