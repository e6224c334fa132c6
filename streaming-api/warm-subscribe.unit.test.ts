/**
 * A subscribe to a flow whose channel this node already holds starts from the hub's last id, with
 * no message-store read (ADR 032), and still gets every later event exactly once, even with posts
 * racing it. On the in-process store (a real implementation passing the store contract), whose
 * reads are counted as they pass through.
 */
import type { MessageStore } from '../core/ports/message-store';
import { basic, StreamHarness, type TestWs } from './testing/stream-test-harness';

let h: StreamHarness<null>;
beforeAll(async () => {
  h = await StreamHarness.startInProcess();
});
afterAll(async () => {
  await h.stop();
});
afterEach(() => jest.restoreAllMocks());

/** Counts the store's reads of positions and messages; each still runs on the store itself. */
function countReads(store: MessageStore): () => number {
  const spies = (['lastId', 'listAfter', 'list', 'get'] as const).map((method) => jest.spyOn(store, method));
  return () => spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
}

/** A WebSocket subscribed to the flow (resuming after `since` if given), and its `subscribed` frame's last_id. */
async function subscribed(token: string, flowId: string, since?: number): Promise<{ ws: TestWs; lastId: number }> {
  const ws = await h.ws('', { authorization: basic(token) });
  await ws.next((f) => f.type === 'hello', 'hello');
  ws.send({ type: 'subscribe', flows: [{ flow: flowId, since }] });
  const frame = await ws.next((f) => f.type === 'subscribed' && f.flow === flowId, 'subscribed');
  return { ws, lastId: frame.last_id as number };
}

/** {@link subscribed}, counting the store's reads from the subscribe on. */
async function subscribedCountingReads(token: string, flowId: string) {
  jest.restoreAllMocks();
  const reads = countReads(h.store);
  return { ...(await subscribed(token, flowId)), reads };
}

const idsOf = (ws: TestWs) => ws.events().map((e) => e.id);
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

test('the first subscriber of a flow reads its last id from the store; the next one reads nothing and misses nothing', async () => {
  const { flow, token } = await h.seedUser('warm');
  await h.persist(flow.id, 2);
  const first = await subscribedCountingReads(token, flow.id);
  expect([first.lastId, first.reads() > 0]).toEqual([2, true]);
  await h.persist(flow.id, 3, { first: 3 });
  await first.ws.next((e) => e.id === 5, 'the third live event');

  const second = await subscribedCountingReads(token, flow.id);
  expect([second.lastId, second.reads()]).toEqual([5, 0]);
  await h.persist(flow.id, 2, { first: 6 });
  await second.ws.next((e) => e.id === 7, 'the second live event after subscribing');
  expect(idsOf(second.ws)).toEqual([6, 7]);
  expect(idsOf(first.ws)).toEqual([3, 4, 5, 6, 7]);
  expect(second.reads()).toBe(0);
});

test('subscribers joining while posts race them each get exactly the events after their last_id, in order, without a store read', async () => {
  const { flow, token } = await h.seedUser('race');
  const anchor = await subscribed(token, flow.id);
  expect(anchor.lastId).toBe(0);
  const reads = countReads(h.store);
  const total = 300;
  // Posts one by one, a turn of the event loop apart, while subscribers join at every stage of a post's way.
  const posting = (async () => {
    for (let id = 1; id <= total; id++) {
      await h.persist(flow.id, 1, { first: id });
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const joiners: { ws: TestWs; lastId: number }[] = [];
  for (let i = 0; i < 8; i++) joiners.push(await subscribed(token, flow.id));
  await posting;
  for (const client of [anchor, ...joiners]) {
    if (client.lastId < total) await client.ws.next((e) => e.id === total, 'the last post');
    expect(idsOf(client.ws)).toEqual(range(client.lastId + 1, total));
  }
  expect(reads()).toBe(0);
  // The joiners did join while posts were under way (else this test shows nothing about races).
  expect(joiners.some((j) => j.lastId > 0 && j.lastId < total)).toBe(true);
});

test('a resume from an id still reads what it missed from the store', async () => {
  const { flow, token } = await h.seedUser('resume');
  const live = await subscribed(token, flow.id);
  await h.persist(flow.id, 4);
  await live.ws.next((e) => e.id === 4, 'the live events');
  const reads = countReads(h.store);
  const { ws } = await subscribed(token, flow.id, 1);
  await h.persist(flow.id, 1, { first: 5 });
  await ws.next((e) => e.id === 5, 'the next live event');
  expect(idsOf(ws)).toEqual([2, 3, 4, 5]);
  expect(reads()).toBeGreaterThan(0);
});
