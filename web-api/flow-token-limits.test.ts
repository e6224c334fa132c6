/** Each flow token has its own rate-limit budget, as each user has (RATE_LIMIT per RATE_WINDOW_S), on real Redis. */
import { api, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
beforeAll(async () => {
  // A long window, so that the budget cannot refill while the test runs.
  s = await startTestStack({ env: { RATE_LIMIT: '3', RATE_WINDOW_S: '600' } });
});
afterAll(async () => {
  await s.stop();
});

it('a token past its budget gets 429 with Retry-After; another token and the members keep theirs', async () => {
  const make = async (name: string) => (await api(s, 'POST', `/flows/${s.flow.path}/sources`, { auth: s.alice.auth, body: { name } })).body.flow_token as string;
  const [a, b] = [await make('A'), await make('B')];
  const push = (token: string) => api(s, 'POST', `/v1/messages/chat/${token}`, { body: { content: 'tick', external_user_name: 'bot' } });
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await push(a)).status);
  expect(statuses).toEqual([200, 200, 200, 429]);
  const limited = await api(s, 'POST', '/messages', { body: { flow_token: a, event: 'message', content: 'x', external_user_name: 'bot' } });
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await push(b)).status).toBe(200);
  expect((await api(s, 'GET', `/flows/${s.flow.path}/messages?limit=1`, { auth: s.bob.auth })).status).toBe(200);
});
