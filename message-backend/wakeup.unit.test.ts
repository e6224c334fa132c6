/** Wakeup: a pipeline's end cuts the loop's current wait short; a wake belongs to the round it happened in. */
import { pause, Wakeup } from './wakeup';

it('a wake ends the current round’s pause at once', async () => {
  const wakeup = new Wakeup();
  const signal = wakeup.round();
  let done = false;
  const waiting = pause(60_000, signal).then(() => {
    done = true;
  });
  await Promise.resolve();
  expect(done).toBe(false);
  wakeup.wake();
  await waiting;
  expect(done).toBe(true);
});

it('a new round starts unwoken; a signal already woken does not wait at all', async () => {
  jest.useFakeTimers();
  try {
    const wakeup = new Wakeup();
    const first = wakeup.round();
    wakeup.wake();
    expect(first.aborted).toBe(true);
    await pause(60_000, first); // resolves without any timer advancing
    const second = wakeup.round();
    expect(second.aborted).toBe(false);
    let done = false;
    const waiting = pause(1000, second).then(() => {
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
