/**
 * Who is online (issue 11, point 3): the `last_activity` the API reports per flow member, and the
 * `activity.user` events the WebSocket delivers (with `last_activity`: active; without: idle).
 * Pure; unit-tested.
 */

/** Active this recently counts as online (clients report about once a minute while in use). */
export const ONLINE_WINDOW_MS = 5 * 60_000;

export type PresenceSeen = { active: number } | { idle: true };

export type Availability = 'online' | 'idle' | 'offline';

/** The newest word on each user: the later activity wins; an idle event replaces it until the next activity. */
export function seen(state: ReadonlyMap<string, PresenceSeen>, userId: string, report: PresenceSeen): ReadonlyMap<string, PresenceSeen> {
  const before = state.get(userId);
  if ('active' in report && before && 'active' in before && before.active >= report.active) return state;
  return new Map(state).set(userId, report);
}

export function availability(report: PresenceSeen | undefined, now: number): Availability {
  if (!report) return 'offline';
  if ('idle' in report) return 'idle';
  return now - report.active < ONLINE_WINDOW_MS ? 'online' : 'offline';
}
