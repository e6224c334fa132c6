/**
 * Notices of mentions (client-spa/src/notifications.ts decides which): a toast in the page while it
 * is visible, the browser's Notification while the tab is hidden (with permission, asked for only on a
 * click: browsers ignore or penalize a request without a user gesture). Clicking either opens the
 * conversation.
 */
import { useState } from 'preact/hooks';
import type { Notice } from '../notifications';

/** A toast goes by itself after this long. */
const TOAST_MS = 8000;
const MAX_TOASTS = 3;

export type NotificationPermissionState = NotificationPermission | 'unsupported';

const permissionNow = (): NotificationPermissionState => (typeof Notification === 'function' ? Notification.permission : 'unsupported');

export function useNotifications(open: (key: string) => void) {
  const [toasts, setToasts] = useState<readonly (Notice & { id: number })[]>([]);
  const [permission, setPermission] = useState(permissionNow);

  const dismiss = (id: number) => setToasts((all) => all.filter((t) => t.id !== id));

  function notify(notice: Notice, inView: boolean): void {
    if (document.visibilityState === 'hidden') {
      if (permissionNow() !== 'granted') return;
      const n = new Notification(notice.title, { body: notice.body, tag: `tributary:${notice.key}` });
      n.onclick = () => {
        focus();
        open(notice.key);
        n.close();
      };
      return;
    }
    // In the page: unless the message is right there in the open conversation.
    if (inView) return;
    const id = Date.now() + Math.random();
    setToasts((all) => [...all.slice(-(MAX_TOASTS - 1)), { ...notice, id }]);
    setTimeout(() => dismiss(id), TOAST_MS);
  }

  async function requestPermission(): Promise<void> {
    if (typeof Notification !== 'function') return;
    setPermission(await Notification.requestPermission());
  }

  return { toasts, dismiss, notify, open, permission, requestPermission };
}
