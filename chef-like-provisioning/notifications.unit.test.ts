/** Which delayed restarts a run's own start already did: only those notified before the start. */
import { DelayedNotifications, satisfiedByStart } from './notifications';

const restart = { resource: 'service[s]', action: 'restart', timing: 'delayed' as const };

test('a repeat keeps its place in the order but remembers the latest step that notified it', () => {
  const queue = new DelayedNotifications();
  queue.add(restart, 1);
  queue.add({ ...restart, resource: 'service[t]' }, 2);
  queue.add(restart, 5);
  expect(queue.drain()).toEqual([
    { resource: 'service[s]', action: 'restart', lastNotifiedAt: 5 },
    { resource: 'service[t]', action: 'restart', lastNotifiedAt: 2 },
  ]);
  expect(queue.drain()).toEqual([]);
});

test.each([
  ['restart', 3, 2, true],
  ['reload', 3, 2, true],
  ['restart', 2, 3, false], // changed after the start: the process has the old content
  ['restart', undefined, 2, false], // not started by this run
  ['run', 3, 2, false], // only restarts and reloads are what a start does
])('%s started at %s, notified at %s: already done = %s', (action, startedAt, notifiedAt, done) => {
  expect(satisfiedByStart({ resource: 'x[y]', action, lastNotifiedAt: notifiedAt }, startedAt)).toBe(done);
});
