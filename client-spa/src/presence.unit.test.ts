/** Availability from activity reports: recent activity is online, an idle report idle, old or none offline. */
import { availability, ONLINE_WINDOW_MS, seen } from './presence';

it('keeps the newest report per user; an older activity does not undo a newer one', () => {
  let state = seen(new Map(), '2', { active: 1000 });
  state = seen(state, '2', { active: 500 });
  expect(state.get('2')).toEqual({ active: 1000 });
  state = seen(state, '2', { idle: true });
  expect(state.get('2')).toEqual({ idle: true });
  state = seen(state, '2', { active: 2000 });
  expect(state.get('2')).toEqual({ active: 2000 });
});

it('is online while recently active, idle when it said so, offline otherwise', () => {
  expect(availability({ active: 1000 }, 1000 + ONLINE_WINDOW_MS - 1)).toBe('online');
  expect(availability({ active: 1000 }, 1000 + ONLINE_WINDOW_MS)).toBe('offline');
  expect(availability({ idle: true }, 0)).toBe('idle');
  expect(availability(undefined, 0)).toBe('offline');
});
