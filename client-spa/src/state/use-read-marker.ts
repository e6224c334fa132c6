/**
 * Marks the open conversation read on the server (PUT …/read, docs/api.md "Read markers") up to the
 * newest message the app holds, whenever that changes while the page is visible: a hidden tab reads
 * nothing. The server keeps the furthest marker, so a late or repeated call never un-reads anything.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { markRead } from '../api';
import type { Conversation } from '../types';

export function useReadMarker(current: Conversation | null, newestId: number, onRead: (key: string) => void): void {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  /** The furthest id marked per conversation by this page. */
  const marked = useRef(new Map<string, number>());

  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);

  useEffect(() => {
    if (!current || !visible || newestId <= 0) return;
    onRead(current.key);
    if ((marked.current.get(current.key) ?? 0) >= newestId) return;
    marked.current.set(current.key, newestId);
    // Failing to mark (offline) only leaves a count too high on another device; the next message retries.
    markRead(current.base, newestId).catch(() => marked.current.delete(current.key));
  }, [current?.key, newestId, visible]);
}
