/**
 * A bus gap on real Redis: the node's subscriber connection is killed while messages are
 * persisted and published; after ioredis re-subscribes, the node replays what it missed from the
 * store, so a connected WebSocket client still receives every message, in order, once; and a
 * client subscribing afterwards is told the newest id, whatever the hub saw before the gap.
 */
import Redis from 'ioredis';
import WebSocket from 'ws';
import { api, startTestStack, type TestStack } from '../test/support/stack';
import { killBusSubscriber, TEST_REDIS_URL } from '../test/support/redis';

let s: TestStack;
let redis: Redis;
beforeAll(async () => {
  s = await startTestStack({ env: { PERSIST_TIMEOUT_MS: '1500' } });
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  redis.disconnect();
  await s.stop();
});

/** Kills this stack's bus subscriber connection, as a Redis hiccup would. */
const killSubscriber = () => killBusSubscriber(redis, s.config.REDIS_PREFIX);

async function replayedSoFar(): Promise<number> {
  const text = await fetch(`${s.url}/metrics`).then((r) => r.text());
  return Number(/^tributary_stream_catch_up_replayed_total (\d+)/m.exec(text)?.[1] ?? 0);
}

/** A WebSocket of alice's subscribed to the flow; resolves with its `subscribed` frame's last_id and the ids it receives. */
async function subscriber(): Promise<{ ws: WebSocket; lastId: number; ids: number[] }> {
  const ws = new WebSocket(`${s.url.replace('http', 'ws')}/stream/ws`, { headers: { authorization: s.alice.auth } });
  const ids: number[] = [];
  const lastId = await new Promise<number>((resolve) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'hello') ws.send(JSON.stringify({ type: 'subscribe', flows: [{ flow: s.flow.id }] }));
      else if (frame.type === 'subscribed') resolve(frame.last_id);
      else if (frame.event === 'message') ids.push(frame.id);
    });
  });
  return { ws, lastId, ids };
}

it('replays from the store what was published while the subscriber was down', async () => {
  const { ws, ids } = await subscriber();
  const posted: number[] = [];
  const post = async (content: string) => {
    // The persisted reply can be lost in the gap too: retry with the same uuid, as clients do.
    const uuid = `${content}-uuid`;
    for (;;) {
      const r = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.bob.auth, body: { event: 'message', content, uuid } });
      if (r.status === 201) return posted.push(r.body.id);
    }
  };
  await post('before');
  // A post races the reconnect (ioredis retries after ~50 ms); try a few times until one lands in the gap.
  for (let attempt = 0; attempt < 5 && (await replayedSoFar()) === 0; attempt++) {
    await killSubscriber();
    await post(`during-${attempt}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  expect(await replayedSoFar()).toBeGreaterThan(0);
  // The hub's last id predates the gap: a new subscriber must start from the store's (ADR 032).
  const late = await subscriber();
  expect(late.lastId).toBe(posted.at(-1));
  late.ws.close();
  await post('after');
  const until = Date.now() + 5000;
  while (ids.length < posted.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  expect(ids).toEqual(posted);
  ws.close();
});
