/** @mention completion in the composer: what is being typed after an `@`, who matches, and the text once one is chosen. Pure; unit-tested. */
import type { User } from './types';

/** At most this many suggestions. */
export const MAX_SUGGESTIONS = 6;

/** The `@word` the caret is at the end of: where its `@` is and the word so far; null when not in one. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([\w-]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/** Members whose nick starts with the query (any case), in nick order. */
export function suggestions(members: readonly User[], query: string): User[] {
  const q = query.toLowerCase();
  return members
    .filter((u) => u.nick.toLowerCase().startsWith(q))
    .sort((a, b) => a.nick.localeCompare(b.nick))
    .slice(0, MAX_SUGGESTIONS);
}

/** The text with the `@word` at the caret replaced by `@nick `, and where the caret goes. */
export function complete(text: string, caret: number, nick: string): { text: string; caret: number } {
  const at = mentionAt(text, caret);
  if (!at) return { text, caret };
  const inserted = `@${nick} `;
  return { text: text.slice(0, at.start) + inserted + text.slice(caret), caret: at.start + inserted.length };
}
