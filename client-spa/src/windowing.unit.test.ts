/** The virtualized list's arithmetic: offsets from measured and estimated heights, the rendered window, and the scroll anchor. */
import { anchorAt, isAtBottom, offsetsOf, rowAt, viewTopFor, windowOf } from './windowing';

const keys = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `m${from + i}`);

it('adds measured heights and counts unmeasured rows at the estimate', () => {
  expect(offsetsOf(['a', 'b', 'c'], new Map([['b', 100]]), 40)).toEqual([0, 40, 140, 180]);
  expect(offsetsOf([], new Map(), 40)).toEqual([0]);
});

it('finds the row covering a height, clamped to the first and last row', () => {
  const offsets = [0, 40, 140, 180];
  expect([rowAt(offsets, -5), rowAt(offsets, 0), rowAt(offsets, 39), rowAt(offsets, 40), rowAt(offsets, 179), rowAt(offsets, 999)]).toEqual([0, 0, 0, 1, 2, 2]);
  expect(rowAt([0], 10)).toBe(-1);
});

it('renders only the rows in view plus the overscan, however long the list', () => {
  const offsets = offsetsOf(keys(10_000), new Map(), 50);
  // A 700 px viewport 200 000 px down, 300 px of overscan each side: rows 3994 to 4019.
  const w = windowOf(offsets, 200_000, 700, 300);
  expect(w).toEqual({ start: 3994, end: 4020 });
  expect(w.end - w.start).toBeLessThan(30);
  expect(windowOf(offsets, 0, 700, 300)).toEqual({ start: 0, end: 20 });
  expect(windowOf(offsets, 499_300, 700, 300)).toEqual({ start: 9980, end: 10_000 });
  expect(windowOf([0], 0, 700, 300)).toEqual({ start: 0, end: 0 });
});

it('keeps the row being read in place when an earlier page is prepended', () => {
  const before = keys(100, 100);
  const heights = new Map<string, number>();
  const offsets = offsetsOf(before, heights, 50);
  // Reading m130, 10 px into it.
  const anchor = anchorAt(before, offsets, 30 * 50 + 10)!;
  expect(anchor).toEqual({ key: 'm130', within: 10 });
  const after = [...keys(100, 0), ...before];
  expect(viewTopFor(anchor, after, offsetsOf(after, heights, 50))).toBe(130 * 50 + 10);
});

it('keeps the row being read in place when rows above it turn out taller than estimated', () => {
  const list = keys(10);
  const anchor = anchorAt(list, offsetsOf(list, new Map(), 50), 5 * 50)!;
  const measured = new Map([['m0', 120], ['m3', 20]]);
  expect(viewTopFor(anchor, list, offsetsOf(list, measured, 50))).toBe(120 + 50 + 50 + 20 + 50);
  // A row that is gone (deleted) cannot anchor.
  expect(viewTopFor({ key: 'gone', within: 0 }, list, offsetsOf(list, measured, 50))).toBeNull();
});

it('counts the reader at the bottom within the slack only', () => {
  expect(isAtBottom(1000, 300, 700, 0)).toBe(true);
  expect(isAtBottom(1000, 250, 700, 80)).toBe(true);
  expect(isAtBottom(1000, 200, 700, 80)).toBe(false);
});
