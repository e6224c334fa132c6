/**
 * Marks the open conversation read on the server (PUT …/read, docs/api.md "Read markers") up to the
 * newest message the app holds, whenever that changes while the page is visible: a hidden tab reads
 * nothing. At most one request per conversation every MARK_EVERY_MS carries the newest id (a busy
 * flow must not become a request per message). The server keeps the furthest marker, so a late or
 * repeated call never un-reads anything. A mark the server did not get (offline, 5xx, 429) is sent
 * again after a backoff, whichever conversation is open by then; one it refused is given up. When
 * the tab is hidden or the page goes away, every mark still waiting is sent at once: else what was
 * read in the last second before closing stayed unread. Every mark is a keepalive request (api.ts),
 * so one on its way when the page goes is not cancelled with it.
 */
import { backoffMs } from '../backoff';
import { useEffect, useRef, useState } from 'preact/hooks';
import { isRetryable, markRead } from '../api';
import type { Conversation } from '../types';

const MARK_EVERY_MS = 1000;
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 60_000;

export interface ReadMarkerHandlers {
  /** The open conversation is read here up to `upTo`. */
  onRead(key: string, upTo: number): void;
  /** The server refused the conversation's marker (it is gone, or the id is not its): what was read here is not marked. */
  onRefused(key: string): void;
}

export function useReadMarker(current: Conversation | null, newestId: number, handlers: ReadMarkerHandlers): void {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  /** The furthest id per conversation the server has taken, or that is on its way. */
  const marked = useRef(new Map<string, number>());
  /**
   * Conversations with a request waiting for its turn (the throttle, or a retry): the id it will
   * carry, and the timer that sends it (cleared when it goes early, as the page is leaving).
   */
  const waiting = useRef(new Map<string, { base: string; id: number; timer: ReturnType<typeof setTimeout> }>());
  /** Failures in a row per conversation, for the retry's backoff. */
  const failures = useRef(new Map<string, number>());

  /** Sends every waiting mark now; `send` through a ref, as the listeners below outlive a render. */
  const sendWaiting = useRef<() => void>(() => {});
  sendWaiting.current = () => {
    for (const key of [...waiting.current.keys()]) send(key);
  };

  useEffect(() => {
    const update = () => {
      const shown = document.visibilityState === 'visible';
      setVisible(shown);
      if (!shown) sendWaiting.current();
    };
    const leaving = () => sendWaiting.current();
    document.addEventListener('visibilitychange', update);
    window.addEventListener('pagehide', leaving);
    return () => {
      document.removeEventListener('visibilitychange', update);
      window.removeEventListener('pagehide', leaving);
    };
  }, []);

  /** Makes the conversation's waiting request carry `id` too, sent after `ms` unless one already waits (its turn stays). */
  function waitToSend(key: string, base: string, id: number, ms: number) {
    const queued = waiting.current.get(key);
    waiting.current.set(key, { base, id: Math.max(id, queued?.id ?? 0), timer: queued?.timer ?? setTimeout(() => send(key), ms) });
  }

  /** Sends the conversation's waiting request now. */
  function send(key: string) {
    const next = waiting.current.get(key);
    if (!next) return;
    waiting.current.delete(key);
    clearTimeout(next.timer);
    mark(key, next.base, next.id);
  }

  function mark(key: string, base: string, id: number) {
    const before = marked.current.get(key);
    if ((before ?? 0) >= id) return;
    marked.current.set(key, id);
    markRead(base, id).then(
      () => failures.current.delete(key),
      (err: unknown) => {
        // Not on the server: unless a later mark went out meanwhile, it is as before this one.
        if (marked.current.get(key) === id) {
          if (before === undefined) marked.current.delete(key);
          else marked.current.set(key, before);
        }
        if (!isRetryable(err)) return handlers.onRefused(key);
        const n = (failures.current.get(key) ?? 0) + 1;
        failures.current.set(key, n);
        // A request already waiting for its turn carries this id too; else one is scheduled.
        waitToSend(key, base, id, backoffMs(n, RETRY_FIRST_MS, RETRY_MAX_MS));
      },
    );
  }

  useEffect(() => {
    if (!current || !visible || newestId <= 0) return;
    handlers.onRead(current.key, newestId);
    if ((marked.current.get(current.key) ?? 0) >= newestId) return;
    // The first mark of a burst goes at once (opening a flow), the rest once per interval with the newest id.
    if (!waiting.current.has(current.key) && !marked.current.has(current.key)) mark(current.key, current.base, newestId);
    else waitToSend(current.key, current.base, newestId, MARK_EVERY_MS);
  }, [current?.key, newestId, visible]);
}
