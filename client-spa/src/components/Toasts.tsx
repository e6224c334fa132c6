/** Mention notices in the page: a short stack in the corner, each a button that opens the conversation. */
import type { Notice } from '../notifications';

interface Props {
  toasts: readonly (Notice & { id: number })[];
  onOpen(notice: Notice): void;
  onDismiss(id: number): void;
}

export function Toasts({ toasts, onOpen, onDismiss }: Props) {
  return (
    <aside class="toasts" aria-label="Notifications" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} class="toast">
          <button
            type="button"
            class="toast-open"
            onClick={() => {
              onDismiss(t.id);
              onOpen(t);
            }}
          >
            <strong>{t.title}</strong>
            <span>{t.body}</span>
          </button>
          <button type="button" class="link" aria-label="Dismiss" onClick={() => onDismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </aside>
  );
}
