/** Delayed notifications: queued during the run, run once each at its end, in order of first notification. */
import type { Notification } from './api';

/** A target and the action to run on it. */
export interface Notified {
  resource: string;
  action: string;
}

/** Deduplicates delayed notifications: the same resource and action runs once, where it was first queued. */
export class DelayedNotifications {
  private readonly queued = new Map<string, Notified>();

  /** Queues a notification (a repeat is dropped). */
  add(notification: Notification): void {
    const key = `${notification.resource}\u0000${notification.action}`;
    if (!this.queued.has(key)) this.queued.set(key, { resource: notification.resource, action: notification.action });
  }

  /** The queued notifications in order, emptying the queue. */
  drain(): Notified[] {
    const all = [...this.queued.values()];
    this.queued.clear();
    return all;
  }
}
