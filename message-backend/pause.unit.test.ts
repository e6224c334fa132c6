/** pause: waits its time, unless its signal is aborted (stop), then it ends at once. */
import { pause } from './pause';

it('ends at once when its signal is aborted while it waits', async () => {
  const controller = new AbortController();
  let done = false;
  const waiting = pause(60_000, controller.signal).then(() => {
    done = true;
  });
  await Promise.resolve();
  expect(done).toBe(false);
  controller.abort();
  await waiting;
  expect(done).toBe(true);
});

it('does not wait on a signal already aborted, and waits its full time otherwise', async () => {
  jest.useFakeTimers();
  try {
    const aborted = new AbortController();
    aborted.abort();
    await pause(60_000, aborted.signal); // resolves without any timer advancing
    let done = false;
    const waiting = pause(1000, new AbortController().signal).then(() => {
      done = true;
    });
    await jest.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await waiting;
    expect(done).toBe(true);
  } finally {
    jest.useRealTimers();
  }
});
