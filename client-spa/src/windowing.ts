/**
 * The virtualized message list's arithmetic (docs/adr/018-app-reading.md): where each row starts,
 * which rows a scroll position shows, and where to scroll so the row being read stays put when rows
 * above it are added or turn out taller than estimated. Pure; unit-tested.
 */

/** Row tops: `offsets[i]` is where row i starts, `offsets[n]` the total height. Unmeasured rows count as `estimate`. */
export function offsetsOf(keys: readonly string[], heights: ReadonlyMap<string, number>, estimate: number): number[] {
  const offsets = new Array<number>(keys.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < keys.length; i++) offsets[i + 1] = offsets[i]! + (heights.get(keys[i]!) ?? estimate);
  return offsets;
}

/** The row that covers height `y` (the first row for y < 0, the last for y past the end); -1 when there are none. */
export function rowAt(offsets: readonly number[], y: number): number {
  const n = offsets.length - 1;
  if (n <= 0) return -1;
  let lo = 0;
  let hi = n - 1;
  // The last row whose top is at or above y.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The rows to render, `start` inclusive to `end` exclusive: those in the viewport plus `overscan` pixels above and below. */
export function windowOf(offsets: readonly number[], viewTop: number, viewHeight: number, overscan: number): { start: number; end: number } {
  const n = offsets.length - 1;
  if (n <= 0) return { start: 0, end: 0 };
  const start = rowAt(offsets, viewTop - overscan);
  // A row starting exactly at the bottom edge is not in view.
  const last = rowAt(offsets, viewTop + viewHeight + overscan - 1);
  return { start, end: Math.min(n, last + 1) };
}

/** What the reader is looking at: the first row at the top of the viewport, and how far into it they are. */
export interface Anchor {
  key: string;
  /** Pixels from that row's top to the viewport's top. */
  within: number;
}

export function anchorAt(keys: readonly string[], offsets: readonly number[], viewTop: number): Anchor | null {
  const i = rowAt(offsets, viewTop);
  return i < 0 ? null : { key: keys[i]!, within: viewTop - offsets[i]! };
}

/** Where the viewport's top must be so the anchor row sits where it was; null when that row is gone. */
export function viewTopFor(anchor: Anchor, keys: readonly string[], offsets: readonly number[]): number | null {
  const i = keys.indexOf(anchor.key);
  return i < 0 ? null : offsets[i]! + anchor.within;
}

/** Within `slack` pixels of the end counts as reading the newest rows: new ones keep the list there. */
export const isAtBottom = (scrollHeight: number, scrollTop: number, clientHeight: number, slack: number): boolean =>
  scrollHeight - scrollTop - clientHeight <= slack;
