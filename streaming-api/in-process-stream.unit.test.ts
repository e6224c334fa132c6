/**
 * The streaming service on in-process parts (directory, store, bus): the unit tier's check that the
 * stream harness needs no server. Stream behaviour in depth is in http-stream.test.ts and
 * websocket.test.ts, on Postgres.
 */
import { basic, StreamHarness, waitFor } from './testing/stream-test-harness';

let h: StreamHarness<null>;
beforeAll(async () => {
  h = await StreamHarness.startInProcess({ keepAliveMs: 150 });
});
afterAll(async () => {
  await h.stop();
});

test("a flow the user cannot read is 404; their own flow streams live events and fills a gap from the store", async () => {
  const alice = await h.seedUser('alice');
  const bob = await h.seedUser('bob');
  expect((await h.stream(`/flows/${bob.path}`, { authorization: basic(alice.token) })).res.statusCode).toBe(404);
  const s = await h.stream(`/flows?filter=${alice.flow.id}`, { authorization: basic(alice.token) });
  expect(s.res.statusCode).toBe(200);
  await waitFor(() => s.body().includes('\n'), 'keep-alive');
  await h.persist(alice.flow.id, 1);
  await h.persist(alice.flow.id, 1, { publish: false }); // lost on the bus
  await h.persist(alice.flow.id, 1);
  const events = () => s.body().split('\r\n').filter((line) => line.trim().startsWith('{')) // keep-alives are lone newlines;
  await waitFor(() => events().length >= 3, 'two live events and the lost one');
  expect(events().map((line) => JSON.parse(line).id)).toEqual([1, 2, 3]);
  s.close();
});

test('a WebSocket client authenticated by token subscribes to its flow and gets its events', async () => {
  const { flow, token } = await h.seedUser('ws');
  const ws = await h.ws('', { authorization: basic(token) });
  await ws.next((f) => f.type === 'hello', 'hello');
  ws.send({ type: 'subscribe', flows: [{ flow: flow.id }] });
  await ws.next((f) => f.type === 'subscribed' && f.flow === flow.id, 'subscribed');
  const [sent] = await h.persist(flow.id, 1);
  expect(await ws.next((f) => f.uuid === sent!.uuid, 'the event')).toMatchObject({ id: 1, flow: flow.id, event: 'message' });
});

test('a bus gap checks password connections again: one whose password changed unheard is closed 4001, a token one stays', async () => {
  const { user, token } = await h.seedUser('gap');
  const byPassword = await h.ws('', { authorization: basic(user.email, 'secret-password') });
  const byToken = await h.ws('', { authorization: basic(token) });
  for (const ws of [byPassword, byToken]) await ws.next((f) => f.type === 'hello', 'hello');
  await h.directory.setPassword(user.id, 'another-password'); // announced on a bus that was reconnecting: never heard
  h.bus.reportGap();
  await waitFor(() => byPassword.closeCode, 'the password connection to close');
  expect(byPassword.closeCode).toBe(4001);
  expect(byToken.closeCode).toBeNull();
});
