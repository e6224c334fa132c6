import { FlowListReader } from './flow-list-reader';
import type { Flow } from './types';

const flow = (name: string): Flow => ({ id: name, name, parameterized_name: name, organization: { name: 'Acme', parameterized_name: 'acme' }, unread_mentions: 0 });

/** A GET /flows whose answers the test hands out one by one. */
function server() {
  const waiting: { resolve: (list: Flow[]) => void; reject: (err: Error) => void }[] = [];
  return {
    fetch: () => new Promise<Flow[]>((resolve, reject) => waiting.push({ resolve, reject })),
    get asked() {
      return waiting.length;
    },
    answer: async (i: number, list: Flow[]) => {
      waiting[i]!.resolve(list);
      await Promise.resolve();
      await Promise.resolve();
    },
    fail: async (i: number) => {
      waiting[i]!.reject(new Error('offline'));
      await Promise.resolve();
      await Promise.resolve();
    },
  };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

it('reads one at a time: a read asked for meanwhile makes one more, and only the later answer is shown', async () => {
  const s = server();
  const shown: string[][] = [];
  const reader = new FlowListReader(s.fetch, (list) => shown.push(list.map((f) => f.name)));
  reader.read();
  reader.read();
  reader.read();
  expect(s.asked).toBe(1);
  expect(reader.busy).toBe(true);
  await s.answer(0, [flow('old')]);
  expect(shown).toEqual([]);
  expect(s.asked).toBe(2);
  await s.answer(1, [flow('new')]);
  expect(shown).toEqual([['new']]);
  expect(reader.busy).toBe(false);
});

it('tries a failed read again after a backoff that doubles, and shows the first answer that comes', async () => {
  const s = server();
  const shown: string[][] = [];
  const reader = new FlowListReader(s.fetch, (list) => shown.push(list.map((f) => f.name)));
  reader.read();
  await s.fail(0);
  expect(reader.busy).toBe(true);
  jest.advanceTimersByTime(999);
  expect(s.asked).toBe(1);
  jest.advanceTimersByTime(1);
  expect(s.asked).toBe(2);
  await s.fail(1);
  jest.advanceTimersByTime(1999);
  expect(s.asked).toBe(2);
  jest.advanceTimersByTime(1);
  await s.answer(2, [flow('back')]);
  expect(shown).toEqual([['back']]);
});

it('after a resume, reads at a random moment within the spread, once however many resumes ask', async () => {
  const s = server();
  const reader = new FlowListReader(s.fetch, () => undefined, () => 0.5);
  reader.readSoon(5000);
  reader.readSoon(5000);
  jest.advanceTimersByTime(2499);
  expect(s.asked).toBe(0);
  jest.advanceTimersByTime(1);
  expect(s.asked).toBe(1);
});

it('reads nothing more once stopped, and drops an answer that comes after', async () => {
  const s = server();
  const shown: Flow[][] = [];
  const reader = new FlowListReader(s.fetch, (list) => shown.push(list));
  reader.read();
  reader.stop();
  await s.answer(0, [flow('late')]);
  reader.read();
  reader.readSoon(10);
  jest.advanceTimersByTime(100);
  expect(s.asked).toBe(1);
  expect(shown).toEqual([]);
});
