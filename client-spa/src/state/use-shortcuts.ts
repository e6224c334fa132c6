/** Keyboard: Alt+↓/↑ next/previous flow, Alt+Shift+↓ next unread, Alt+M the composer (shortcuts.ts). */
import { useEffect } from 'preact/hooks';
import { flowUrl, navigate } from '../route';
import { flowToOpen } from '../shortcuts';
import { type Flow, flowPath } from '../types';

export function useShortcuts(state: { readonly current: { flows: readonly Flow[]; openFlowId: string | null; unread: ReadonlyMap<string, number> } }): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.code === 'KeyM') {
        document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus();
        e.preventDefault();
        return;
      }
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      const move = e.key === 'ArrowUp' ? 'previous' : e.shiftKey ? 'next-unread' : 'next';
      const { flows, openFlowId, unread } = state.current;
      const target = flowToOpen(flows, openFlowId, move, unread);
      if (target) navigate(flowUrl(flowPath(target)));
      e.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
}
