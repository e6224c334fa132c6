/**
 * A revocation lost in a bus gap is made up for: when the node's Redis subscriber comes back, every
 * connection's flows are checked against the access gate again and what is no longer readable is cut.
 */
import Redis from 'ioredis';
import { api, startTestStack, type TestStack } from '../test/support/stack';
import { killBusSubscriber, TEST_REDIS_URL } from '../test/support/redis';
import { openWs } from '../test/authz/live-clients';

let s: TestStack;
let redis: Redis;
beforeAll(async () => {
  s = await startTestStack();
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  redis.disconnect();
  await s.stop();
});

it('cuts a connection whose access was lost while no revocation could reach the node', async () => {
  const wsUrl = `${s.url.replace('http', 'ws')}/stream/ws`;
  const [bob, alice] = [await openWs(wsUrl, s.bob.auth), await openWs(wsUrl, s.alice.auth)];
  for (const ws of [bob, alice]) {
    ws.send({ type: 'subscribe', flows: [{ flow: s.flow.id }] });
    await ws.next((f) => f.type === 'subscribed', 'subscribed');
  }
  // Blocked behind the API's back: no revocation is published, as if it had been lost in a gap.
  await s.directory.setFlowMemberDisabled(s.flow.id, s.bob.id, true);
  await killBusSubscriber(redis, s.config.REDIS_PREFIX);
  await bob.next((f) => f.event === 'flow-remove' && (f.content as { id: string }).id === s.flow.id, 'flow-remove after the gap');
  const after = bob.events().length;
  expect((await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'after the gap' } })).status).toBe(201);
  await alice.next((f) => f.content === 'after the gap', 'alice has it');
  expect(bob.events().slice(after)).toEqual([]);
  for (const ws of [bob, alice]) ws.ws.terminate();
});
