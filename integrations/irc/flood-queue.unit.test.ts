import { FloodQueue } from './flood-queue';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('sends a burst at once, then one line per interval, in order, and marks run in order', () => {
  const sent: string[] = [];
  const queue = new FloodQueue((line) => sent.push(line), { burst: 4, intervalMs: 1000 });
  for (let i = 1; i <= 7; i++) queue.push(`line ${i}`);
  const marked: string[] = [];
  queue.mark(async () => void marked.push(`after ${sent.length}`));
  expect(sent).toEqual(['line 1', 'line 2', 'line 3', 'line 4']);
  jest.advanceTimersByTime(999);
  expect(sent).toHaveLength(4);
  jest.advanceTimersByTime(1);
  expect(sent).toHaveLength(5);
  jest.advanceTimersByTime(2000);
  expect(sent).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
  expect(marked).toEqual(['after 7']);
});

test('the bucket refills while idle, up to the burst', () => {
  const sent: string[] = [];
  const queue = new FloodQueue((line) => sent.push(line), { burst: 2, intervalMs: 1000 });
  queue.push('a');
  queue.push('b');
  jest.advanceTimersByTime(10_000);
  for (const l of ['c', 'd', 'e']) queue.push(l);
  expect(sent).toEqual(['a', 'b', 'c', 'd']);
});

test('clear drops unsent lines and their marks', () => {
  const sent: string[] = [];
  const queue = new FloodQueue((line) => sent.push(line), { burst: 1, intervalMs: 1000 });
  let marked = false;
  queue.push('a');
  queue.push('b');
  queue.mark(async () => void (marked = true));
  queue.clear();
  jest.advanceTimersByTime(5000);
  expect(sent).toEqual(['a']);
  expect(marked).toBe(false);
  expect(queue.length).toBe(0);
});

test('nothing queued after a mark is sent before the promise the mark returned settles (the cursor is stored first)', async () => {
  const sent: string[] = [];
  const queue = new FloodQueue((line) => sent.push(line), { burst: 10, intervalMs: 1000 });
  let stored!: () => void;
  queue.push('message 1');
  queue.mark(() => new Promise<void>((resolve) => (stored = resolve)));
  queue.push('message 2');
  queue.mark(async () => {});
  expect(sent).toEqual(['message 1']);
  jest.advanceTimersByTime(5000);
  expect(sent).toEqual(['message 1']);
  stored();
  await Promise.resolve();
  await Promise.resolve();
  expect(sent).toEqual(['message 1', 'message 2']);
});

test('a mark whose promise fails still lets the queue go on', async () => {
  const sent: string[] = [];
  const queue = new FloodQueue((line) => sent.push(line), { burst: 10, intervalMs: 1000 });
  queue.mark(() => Promise.reject(new Error('postgres away')));
  queue.push('next');
  expect(sent).toEqual([]);
  for (let i = 0; i < 5 && sent.length === 0; i++) await Promise.resolve();
  expect(sent).toEqual(['next']);
});
