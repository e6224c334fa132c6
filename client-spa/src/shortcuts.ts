/**
 * Keyboard shortcuts (issue 11, point 8): Alt+↓ / Alt+↑ next / previous flow, Alt+Shift+↓ next
 * flow with something unread, Alt+M the composer. Pure choice of the target; App wires the keys.
 */
import type { Flow } from './types';

export const SHORTCUTS = { nextFlow: 'Alt+ArrowDown', previousFlow: 'Alt+ArrowUp', nextUnread: 'Alt+Shift+ArrowDown', composer: 'Alt+M' } as const;

/** The flow a shortcut moves to from `currentId` (in list order, wrapping), or null. */
export function flowToOpen(
  flows: readonly Flow[],
  currentId: string | null,
  move: 'next' | 'previous' | 'next-unread',
  unread: ReadonlyMap<string, number>,
): Flow | null {
  if (flows.length === 0) return null;
  const at = Math.max(-1, flows.findIndex((f) => f.id === currentId));
  const step = move === 'previous' ? -1 : 1;
  for (let i = 1; i <= flows.length; i++) {
    const candidate = flows[(at + step * i + flows.length * 2) % flows.length]!;
    if (move !== 'next-unread') return candidate.id === currentId ? null : candidate;
    if (candidate.id !== currentId && ((unread.get(candidate.id) ?? 0) > 0 || candidate.unread_mentions > 0)) return candidate;
  }
  return null;
}
