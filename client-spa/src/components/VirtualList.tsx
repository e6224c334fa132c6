/**
 * A virtualized, bottom-anchored list (docs/adr/018-app-reading.md): only the rows in view plus an
 * overscan are in the DOM, between two spacers standing for the rest. Rows are measured once
 * rendered (and again when they resize), so rows of any height work. While the reader is at the
 * bottom, new rows keep the list there; otherwise the row being read stays put, whether rows are
 * prepended above it or turn out taller than estimated; a "Jump to newest" button leads back.
 */
import type { ComponentChild } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Anchor, anchorAt, isAtBottom, offsetsOf, viewTopFor, windowOf } from '../windowing';

/** A row's height before it has been measured (a one-line message). */
const ESTIMATE_PX = 52;
/** Rendered beyond the viewport on each side, so a fast scroll rarely shows a gap. */
const OVERSCAN_PX = 600;
/** Within this many pixels of the bottom counts as reading the newest rows. */
const STICK_PX = 80;

interface Props<T> {
  items: readonly T[];
  keyOf(item: T): string;
  /** One row; `index` counts from the oldest loaded row. */
  renderRow(item: T, index: number): ComponentChild;
  /** Above the rows, inside the scroller ("Load earlier messages"). */
  header?: ComponentChild;
  /** The scroller's accessible name. */
  label: string;
  /** The reader scrolled to within a screen of the oldest loaded row. */
  onNearTop?(): void;
}

export function VirtualList<T>({ items, keyOf, renderRow, header, label, onNearTop }: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useRef<HTMLDivElement>(null);
  /** Measured heights by row key; kept across renders (a row's key never changes). */
  const heights = useRef(new Map<string, number>());
  const stick = useRef(true);
  const anchor = useRef<Anchor | null>(null);
  const [view, setView] = useState({ top: 0, height: typeof innerHeight === 'number' ? innerHeight : 800 });
  const [atBottom, setAtBottom] = useState(true);
  const [, setMeasured] = useState(0);

  const keys = useMemo(() => items.map(keyOf), [items]);
  const offsets = offsetsOf(keys, heights.current, ESTIMATE_PX);
  const total = offsets[offsets.length - 1]!;
  const rowsTop = rows.current?.offsetTop ?? 0;
  // At the bottom the window is the last screen, whatever the scroll position was before this render.
  const viewTop = stick.current ? total - view.height : view.top - rowsTop;
  const { start, end } = windowOf(offsets, viewTop, view.height, OVERSCAN_PX);
  const latest = useRef({ keys, offsets });
  latest.current = { keys, offsets };

  // A row that changes size by itself (an edit box opening, an image loading) is measured again.
  const resized = useMemo(() => (typeof ResizeObserver === 'function' ? new ResizeObserver(() => setMeasured((n) => n + 1)) : null), []);
  const observed = useRef(new Set<Element>());
  useLayoutEffect(() => () => resized?.disconnect(), []);

  useLayoutEffect(() => {
    const el = scroller.current;
    const box = rows.current;
    if (!el || !box) return;
    let changed = false;
    // Rows scrolled out of the window are gone from the DOM: stop watching them, or they would never be freed.
    for (const row of observed.current) {
      if (!row.isConnected) {
        resized?.unobserve(row);
        observed.current.delete(row);
      }
    }
    for (const row of box.children as HTMLCollectionOf<HTMLElement>) {
      const key = row.dataset.key;
      if (!key) continue;
      const h = row.getBoundingClientRect().height;
      if (Math.abs((heights.current.get(key) ?? -1) - h) > 0.5) {
        heights.current.set(key, h);
        changed = true;
      }
      if (resized && !observed.current.has(row)) {
        resized.observe(row);
        observed.current.add(row);
      }
    }
    // The spacers are stale until the next render: place the scroll position then.
    if (changed) return void setMeasured((n) => n + 1);
    if (stick.current) el.scrollTop = el.scrollHeight;
    else if (anchor.current) {
      const top = viewTopFor(anchor.current, keys, offsets);
      if (top !== null && Math.abs(el.scrollTop - (top + box.offsetTop)) > 1) el.scrollTop = top + box.offsetTop;
    }
  });

  function onScroll() {
    const el = scroller.current;
    const box = rows.current;
    if (!el || !box) return;
    stick.current = isAtBottom(el.scrollHeight, el.scrollTop, el.clientHeight, STICK_PX);
    anchor.current = stick.current ? null : anchorAt(latest.current.keys, latest.current.offsets, el.scrollTop - box.offsetTop);
    setAtBottom(stick.current);
    setView({ top: el.scrollTop, height: el.clientHeight });
    if (onNearTop && el.scrollTop - box.offsetTop < el.clientHeight) onNearTop();
  }

  function jumpToNewest() {
    stick.current = true;
    anchor.current = null;
    setAtBottom(true);
    setMeasured((n) => n + 1);
  }

  return (
    <div class="messages-frame">
      <div class="messages" ref={scroller} role="log" aria-label={label} onScroll={onScroll}>
        {header}
        <div ref={rows}>
          <div style={{ height: `${offsets[start] ?? 0}px` }} aria-hidden="true" />
          {items.slice(start, end).map((item, i) => (
            <div key={keys[start + i]} data-key={keys[start + i]}>
              {renderRow(item, start + i)}
            </div>
          ))}
          <div style={{ height: `${total - (offsets[end] ?? total)}px` }} aria-hidden="true" />
        </div>
      </div>
      {!atBottom && (
        <button type="button" class="jump" onClick={jumpToNewest}>
          Jump to newest ↓
        </button>
      )}
    </div>
  );
}
