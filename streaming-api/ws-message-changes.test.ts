/**
 * WebSocket `edit`, `tag` and `delete` frames over a real WebSocket on the full stack (Postgres,
 * Redis, every service): they do what REST's PUT and DELETE do, and refuse whom REST refuses, the same way.
 */
import { openWs } from '../test/authz/live-clients';
import { api, type SeededUser, seedUser, startTestStack, type TestStack } from '../test/support/stack';
import type { TestWs } from './testing/stream-test-harness';

let s: TestStack;
let blocked: SeededUser;
const sockets = new Map<SeededUser, TestWs>();
let refs = 0;

beforeAll(async () => {
  s = await startTestStack();
  blocked = await seedUser(s.directory, 'dave');
  await s.directory.addOrganizationMember(s.org.id, blocked.id, false);
  await s.directory.addFlowMember(s.flow.id, blocked.id);
  expect((await api(s, 'PUT', `/flows/${s.flow.path}/users/${blocked.id}`, { auth: s.alice.auth, body: { disabled: true } })).status).toBe(200);
  for (const user of [s.alice, s.bob, s.carol, blocked]) sockets.set(user, await openWs(`${s.url.replace(/^http/, 'ws')}/stream/ws`, user.auth));
}, 30_000);
afterAll(async () => {
  for (const ws of sockets.values()) ws.ws.terminate();
  await s.stop();
});

/** Sends a frame as `user` and resolves with its answer (`ack` or `error`). */
async function send(user: SeededUser, frame: Record<string, unknown>): Promise<Record<string, unknown>> {
  const ws = sockets.get(user)!;
  const ref = ++refs;
  ws.send({ ...frame, ref });
  return ws.next((f) => f.ref === ref, `answer to ${frame.type}`);
}

async function postAs(user: SeededUser, content: string): Promise<number> {
  const res = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: user.auth, body: { event: 'message', content } });
  expect(res.status).toBe(201);
  return res.body.id;
}

const stored = async (id: number) => (await api(s, 'GET', `/flows/${s.flow.path}/messages/${id}`, { auth: s.alice.auth })).body;

describe('changes', () => {
  it('edit: the author changes the content; the ack carries the message-edit event', async () => {
    const id = await postAs(s.bob, 'tpyo');
    const answer = await send(s.bob, { type: 'edit', flow: s.flow.path, message: id, content: 'typo' });
    expect(answer).toMatchObject({ type: 'ack', message: { event: 'message-edit', flow: s.flow.id, user: String(s.bob.id), content: { message: id, updated_content: 'typo' } } });
    expect(await stored(id)).toMatchObject({ content: 'typo', edited: expect.any(Number) });
  });

  it('tag: anyone in the flow replaces the tag list; the ack carries the tag-change event', async () => {
    const id = await postAs(s.bob, 'tag me');
    const answer = await send(s.alice, { type: 'tag', flow: s.flow.id, message: String(id), tags: ['todo', 'urgent'] });
    expect(answer).toMatchObject({ type: 'ack', message: { event: 'tag-change', content: { message: id, add: ['todo', 'urgent'], remove: [] } } });
    expect((await stored(id)).tags).toEqual(['todo', 'urgent']);
  });

  it('delete: the author empties their message; the ack carries the deletion event', async () => {
    const id = await postAs(s.bob, 'oops');
    const answer = await send(s.bob, { type: 'delete', flow: s.flow.id, message: id });
    expect(answer).toMatchObject({ type: 'ack', message: { event: 'message-edit', content: { message: id, updated_content: '', deleted: true } } });
    expect((await stored(id)).content).toBe('');
  });

  it('subscribers receive the events of a change made over WebSocket', async () => {
    const listener = sockets.get(s.alice)!;
    listener.send({ type: 'subscribe', flows: [{ flow: s.flow.id }] });
    await listener.next((f) => f.type === 'subscribed' && f.flow === s.flow.id, 'subscribed');
    const id = await postAs(s.bob, 'watch this');
    const { message } = await send(s.bob, { type: 'edit', flow: s.flow.id, message: id, content: 'watched' });
    expect(await listener.next((f) => f.event === 'message-edit' && f.id === (message as { id: number }).id, 'edit event')).toEqual(message);
  });
});

describe('refusals: the same status and code as REST', () => {
  /** The REST request that makes the same change as a frame. */
  const restOf = (frame: Record<string, unknown>) => {
    const path = `/flows/${s.flow.path}/messages/${frame.message}`;
    if (frame.type === 'delete') return { method: 'DELETE', path, body: undefined };
    return { method: 'PUT', path, body: frame.type === 'tag' ? { tags: frame.tags } : { content: frame.content } };
  };

  const cases: [string, () => SeededUser, (id: number) => Record<string, unknown>, number][] = [
    ['a non-member edits', () => s.carol, (id) => ({ type: 'edit', flow: s.flow.id, message: id, content: 'x' }), 404],
    ['a non-member tags', () => s.carol, (id) => ({ type: 'tag', flow: s.flow.path, message: id, tags: ['x'] }), 404],
    ['a non-member deletes', () => s.carol, (id) => ({ type: 'delete', flow: s.flow.id, message: id }), 404],
    ['a blocked member edits', () => blocked, (id) => ({ type: 'edit', flow: s.flow.id, message: id, content: 'x' }), 404],
    ['a blocked member tags', () => blocked, (id) => ({ type: 'tag', flow: s.flow.id, message: id, tags: ['x'] }), 404],
    ['a blocked member deletes', () => blocked, (id) => ({ type: 'delete', flow: s.flow.path, message: id }), 404],
    ["someone edits another's message", () => s.alice, (id) => ({ type: 'edit', flow: s.flow.id, message: id, content: 'x' }), 403],
    ["someone deletes another's message", () => s.alice, (id) => ({ type: 'delete', flow: s.flow.id, message: id }), 403],
    ['an edit without content', () => s.bob, (id) => ({ type: 'edit', flow: s.flow.id, message: id }), 400],
    ['a message that does not exist', () => s.bob, () => ({ type: 'delete', flow: s.flow.id, message: 999_999 }), 404],
  ];

  it.each(cases)('%s', async (_name, who, frameOf, status) => {
    const id = await postAs(s.bob, 'not yours');
    const frame = frameOf(id);
    const answer = await send(who(), frame);
    const { method, path, body } = restOf(frame);
    const res = await api(s, method, path, { auth: who().auth, ...(body !== undefined ? { body } : {}) });
    expect({ status: answer.status, code: answer.code, message: answer.message }).toEqual({ status: res.status, code: res.body.code, message: res.body.message });
    expect(answer).toMatchObject({ type: 'error', status });
    expect((await stored(id)).content).toBe('not yours');
  });

  it('a frame naming no message is refused before anything runs', async () => {
    expect(await send(s.bob, { type: 'tag', flow: s.flow.id, tags: ['x'] })).toMatchObject({ type: 'error', status: 400, errors: { message: expect.any(Array) } });
  });
});
