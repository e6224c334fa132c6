/** Read markers over REST (docs/api.md "Read markers", a Tributary extension): PUT …/read moves the caller's marker; GET /flows and GET /private count from it. */
import { api, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(async () => {
  await s.stop();
});

const post = async (content: string, auth = s.bob.auth): Promise<number> => {
  const r = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth, body: { event: 'message', content } });
  expect(r.status).toBe(201);
  return r.body.id as number;
};
const mainOf = async (auth = s.alice.auth) => (await api(s, 'GET', '/flows', { auth })).body.find((f: { id: string }) => f.id === s.flow.id);
const markRead = (id: unknown, auth = s.alice.auth, path = `/flows/${s.flow.path}/read`) => api(s, 'PUT', path, { auth, body: { message_id: id } });

it('counts messages by others after the marker, and the marker only moves forward', async () => {
  // Nothing posted, never marked: a subscription resumes from the start (since 0).
  expect(await mainOf()).toMatchObject({ unread_count: 0, last_read_id: null, unread_through_id: 0 });
  // Never marked: everything by others is unread, one's own messages never are.
  const first = await post('one');
  await post('mine', s.alice.auth);
  const second = await post('two');
  // unread_through_id: the newest message the count looked at (where a live subscription resumes).
  expect(await mainOf()).toMatchObject({ unread_count: 2, last_read_id: null, unread_through_id: second });

  expect((await markRead(first)).body).toEqual({ message_id: first });
  expect(await mainOf()).toMatchObject({ unread_count: 1, last_read_id: first });
  expect((await markRead(second)).body).toEqual({ message_id: second });
  // An older id (another device, a stale tab) leaves it where it is.
  expect((await markRead(first)).body).toEqual({ message_id: second });
  expect(await mainOf()).toMatchObject({ unread_count: 0, last_read_id: second, unread_through_id: second });
  const third = await post('three');
  expect(await mainOf()).toMatchObject({ unread_count: 1, last_read_id: second, unread_through_id: third });
  // Events of other kinds are not counted, but the cursor passes them: a subscription from it backfills only what came after.
  const status = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.bob.auth, body: { event: 'status', content: 'busy' } });
  expect(status.status).toBe(201);
  expect(await mainOf()).toMatchObject({ unread_count: 1, unread_through_id: status.body.id });
  // Markers are per user: Bob's view is his own.
  expect(await mainOf(s.bob.auth)).toMatchObject({ last_read_id: null, unread_count: 1 });
});

it('counts a file by another as unread: the chat shows it as a line of its own', async () => {
  const before = (await mainOf()).unread_count as number;
  const bobsBefore = (await mainOf(s.bob.auth)).unread_count as number;
  const content = { data: Buffer.from('report').toString('base64'), file_name: 'r.txt', content_type: 'text/plain' };
  const file = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.bob.auth, body: { event: 'file', content } });
  expect(file.status).toBe(201);
  expect(await mainOf()).toMatchObject({ unread_count: before + 1, unread_through_id: file.body.id });
  // One's own file is not unread.
  expect(await mainOf(s.bob.auth)).toMatchObject({ unread_count: bobsBefore, unread_through_id: file.body.id });
});

it('counts the messages of others even when the newest hundred after the marker are all one\'s own', async () => {
  const before = (await mainOf()).unread_count as number;
  await post('from bob');
  for (let i = 0; i < 100; i++) await post(`mine ${i}`, s.alice.auth);
  expect(await mainOf()).toMatchObject({ unread_count: before + 1 });
});

it('refuses a bad id (400 naming message_id), an id the flow does not hold (400), and a flow the caller is not in (404)', async () => {
  for (const bad of [0, 'x', null, 1.5]) {
    const r = await markRead(bad);
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.errors ?? {})).toEqual(['message_id']);
  }
  const beyond = await markRead(10_000_000);
  expect(beyond.status).toBe(400);
  expect(JSON.stringify(beyond.body)).toContain('names no message of this conversation');
  expect((await markRead(1, s.carol.auth)).status).toBe(404);
});

it('keeps a marker per private conversation, shown in GET /private', async () => {
  const sent = await api(s, 'POST', `/private/${s.alice.id}/messages`, { auth: s.bob.auth, body: { event: 'message', content: 'psst' } });
  expect(sent.status).toBe(201);
  const conversation = async () => (await api(s, 'GET', `/private/${s.bob.id}`, { auth: s.alice.auth })).body;
  expect(await conversation()).toMatchObject({ unread_count: 1, last_read_id: null, unread_through_id: sent.body.id, activity: { chat: true } });
  expect((await markRead(sent.body.id, s.alice.auth, `/private/${s.bob.id}/read`)).body).toEqual({ message_id: sent.body.id });
  expect(await conversation()).toMatchObject({ unread_count: 0, last_read_id: sent.body.id, activity: { chat: false } });
});
