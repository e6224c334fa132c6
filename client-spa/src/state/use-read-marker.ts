/**
 * Marks the open conversation read on the server (PUT …/read, docs/api.md "Read markers") up to the
 * newest message the app holds, whenever that changes while the page is visible: a hidden tab reads
 * nothing. At most one request per conversation every MARK_EVERY_MS carries the newest id (a busy
 * flow must not become a request per message). The server keeps the furthest marker, so a late or
 * repeated call never un-reads anything.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { markRead } from '../api';
import type { Conversation } from '../types';

const MARK_EVERY_MS = 1000;

/** `onRead` hears each time the open conversation is read here, up to which id. */
export function useReadMarker(current: Conversation | null, newestId: number, onRead: (key: string, upTo: number) => void): void {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  /** The furthest id sent per conversation by this page. */
  const marked = useRef(new Map<string, number>());
  /** Conversations with a request waiting for its turn: the id it will carry. */
  const waiting = useRef(new Map<string, { base: string; id: number }>());

  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);

  function send(key: string) {
    const next = waiting.current.get(key);
    waiting.current.delete(key);
    if (!next || (marked.current.get(key) ?? 0) >= next.id) return;
    marked.current.set(key, next.id);
    // Failing to mark (offline) only leaves a count too high on another device; the next message tries again.
    markRead(next.base, next.id).catch(() => marked.current.delete(key));
  }

  useEffect(() => {
    if (!current || !visible || newestId <= 0) return;
    onRead(current.key, newestId);
    if ((marked.current.get(current.key) ?? 0) >= newestId) return;
    const first = !waiting.current.has(current.key);
    waiting.current.set(current.key, { base: current.base, id: newestId });
    if (!first) return;
    // The first mark of a burst goes at once (opening a flow), the rest once per interval with the newest id.
    if (!marked.current.has(current.key)) send(current.key);
    else setTimeout(() => send(current.key), MARK_EVERY_MS);
  }, [current?.key, newestId, visible]);
}
