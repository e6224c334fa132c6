/** Delayed notifications: queued during the run, run once each at its end, in order of first notification. */
import type { Notification } from './api';

/** A target and the action to run on it. */
export interface Notified {
  resource: string;
  action: string;
  /** The run's step at which it was last queued (a repeat moves it later, not its place in the order). */
  lastNotifiedAt: number;
}

/** Deduplicates delayed notifications: the same resource and action runs once, where it was first queued. */
export class DelayedNotifications {
  private readonly queued = new Map<string, Notified>();

  /** Queues a notification at the run's step `step` (a repeat is dropped, but remembered as the latest). */
  add(notification: Notification, step: number): void {
    const key = `${notification.resource}\u0000${notification.action}`;
    const queued = this.queued.get(key);
    if (queued) queued.lastNotifiedAt = step;
    else this.queued.set(key, { resource: notification.resource, action: notification.action, lastNotifiedAt: step });
  }

  /** The queued notifications in order, emptying the queue. */
  drain(): Notified[] {
    const all = [...this.queued.values()];
    this.queued.clear();
    return all;
  }
}

/** Actions that make a running process read its configuration again; a start does that too. */
const RELOADING_ACTIONS = new Set(['restart', 'reload']);

/**
 * True when a delayed restart (or reload) is already done: the run (re)started the target at step
 * `startedAt`, after the last change that notified it, so the process read the new configuration
 * as it started. A change after the start still restarts it (docs/adr/013-converge-speed-and-report.md).
 */
export function satisfiedByStart(notified: Notified, startedAt: number | undefined): boolean {
  return RELOADING_ACTIONS.has(notified.action) && startedAt !== undefined && startedAt > notified.lastNotifiedAt;
}
