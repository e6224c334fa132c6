/**
 * Events are complete (Zulip's `verify_action`): for every action, the state a client fetched over
 * REST before it, with the events the action produced (as received on a real WebSocket) applied,
 * equals the state fetched over REST after it. Real stack: Postgres, Redis, every service.
 */
import type { TestWs } from '../../streaming-api/testing/stream-test-harness';
import { openWs } from '../authz/live-clients';
import { api, type SeededUser, seedUser, startTestStack, type TestStack } from '../support/stack';
import { applyEvent, fetchState } from './client-state';

let s: TestStack;
let ws: TestWs;
let dave: SeededUser;
/** How many of the WebSocket's events the client has applied so far. */
let applied = 0;
let barriers = 0;
const ids: Record<string, number> = {};

beforeAll(async () => {
  s = await startTestStack();
  dave = await seedUser(s.directory, 'dave');
  await s.directory.addOrganizationMember(s.org.id, dave.id, false);
  ws = await openWs(`${s.url.replace(/^http/, 'ws')}/stream/ws`, s.bob.auth);
  ws.send({ type: 'subscribe', flows: [{ flow: s.flow.id }], user: true });
  await ws.next((f) => f.type === 'subscribed' && f.user === true, 'user channel');
  await ws.next((f) => f.type === 'subscribed' && f.flow === s.flow.id, 'flow');
}, 30_000);
afterAll(async () => {
  ws.ws.terminate();
  await s.stop();
});

const flow = () => `/flows/${s.flow.path}`;
const rest = async (who: SeededUser, method: string, path: string, body?: unknown, status = 200) => {
  const res = await api(s, method, path, { auth: who.auth, ...(body !== undefined ? { body } : {}) });
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  return res.body;
};
/** Sends a frame on bob's WebSocket and waits for its ack. */
const frame = async (body: Record<string, unknown>) => {
  const ref = `f${Object.keys(ids).length}-${Math.random()}`;
  ws.send({ ...body, ref });
  const answer = await ws.next((f) => f.ref === ref, `answer to ${body.type}`);
  expect(answer.type).toBe('ack');
  return answer.message as Record<string, unknown>;
};

/**
 * Resolves once every event published so far has reached the client: the action's events are
 * published before its answer, and this typing event after it, on the same bus to the same node,
 * which delivers in publish order. Returns the events not yet applied.
 */
async function eventsSoFar(): Promise<Record<string, unknown>[]> {
  ws.send({ type: 'typing', flow: s.flow.id });
  const count = ++barriers;
  await ws.next(() => ws.events().filter((e) => e.event === 'typing' && e.user === String(s.bob.id)).length >= count, 'barrier');
  const events = ws.events().slice(applied);
  applied += events.length;
  return events;
}

const ACTIONS: [string, () => Promise<unknown>][] = [
  ['REST post', async () => (ids.first = (await rest(s.alice, 'POST', `${flow()}/messages`, { event: 'message', content: 'hello #intro' }, 201)).id)],
  ['WebSocket post', async () => (ids.bobs = (await frame({ type: 'post', flow: s.flow.path, event: 'message', content: 'hi @alice' })).id as number)],
  ['comment', () => rest(s.alice, 'POST', `${flow()}/messages/${ids.first}/comments`, { event: 'comment', content: '+1' }, 201)],
  ['thread post', async () => {
    const thread = (await rest(s.bob, 'GET', `${flow()}/messages/${ids.first}`)).thread_id;
    ids.reply = (await rest(s.alice, 'POST', `${flow()}/threads/${thread}/messages`, { event: 'message', content: 'in thread' }, 201)).id;
  }],
  ['REST edit', () => rest(s.alice, 'PUT', `${flow()}/messages/${ids.first}`, { content: 'hello, edited' })],
  ['REST edit of content and tags at once', () => rest(s.alice, 'PUT', `${flow()}/messages/${ids.reply}`, { content: 'both', tags: ['x', 'Y'] })],
  ['WebSocket edit', () => frame({ type: 'edit', flow: s.flow.id, message: ids.bobs, content: 'hi again' })],
  ['WebSocket tag', () => frame({ type: 'tag', flow: s.flow.path, message: ids.first, tags: ['intro', 'Greeting'] })],
  ['REST retag (removes, adds, clears an unread mention)', () => rest(s.alice, 'PUT', `${flow()}/messages/${ids.bobs}`, { tags: ['later'] })],
  ['REST delete', () => rest(s.alice, 'DELETE', `${flow()}/messages/${ids.reply}`)],
  ['WebSocket delete', () => frame({ type: 'delete', flow: s.flow.id, message: ids.bobs })],
  ['flow rename', () => rest(s.alice, 'PUT', flow(), { name: 'Main Room' })],
  ['flow access mode', () => rest(s.alice, 'PUT', flow(), { access_mode: 'organization' })],
  ['flow archived', () => rest(s.alice, 'PUT', flow(), { disabled: true })],
  ['flow restored', () => rest(s.alice, 'PUT', flow(), { disabled: false })],
  ['joining an organization-mode flow', () => rest(s.carol, 'PUT', flow(), { open: true })],
  ['adding a member', () => rest(s.alice, 'POST', `${flow()}/users`, { id: dave.id })],
  ['blocking a member', () => rest(s.alice, 'PUT', `${flow()}/users/${dave.id}`, { disabled: true })],
  ['unblocking a member', () => rest(s.bob, 'PUT', `${flow()}/users/${dave.id}`, { disabled: false })],
  ['a member edits their profile', () => rest(s.carol, 'PUT', `/users/${s.carol.id}`, { name: 'Carol Renamed', nick: 'caro' })],
  ['presence', async () => {
    // Not acknowledged: done when its event arrives (frames run concurrently, so the barrier could overtake it).
    const seen = ws.events().length;
    ws.send({ type: 'presence', state: 'active' });
    await ws.next(() => ws.events().slice(seen).some((e) => e.event === 'activity.user'), 'activity.user');
  }],
  ['typing', async () => {
    barriers++;
    ws.send({ type: 'typing', flow: s.flow.id });
  }],
  ['REST private message', () => rest(s.alice, 'POST', `/private/${s.bob.id}/messages`, { event: 'message', content: 'psst' }, 201)],
  ['WebSocket private message', () => frame({ type: 'post', to: s.alice.id, event: 'message', content: 'psst back' })],
  ['creating a flow', () => rest(s.bob, 'POST', `/flows/${s.org.name}`, { name: 'Bobs Room' }, 201)],
  ['being added to a flow', async () => {
    const created = await rest(s.alice, 'POST', `/flows/${s.org.name}`, { name: 'Alices Room', access_mode: 'invitation' }, 201);
    await rest(s.alice, 'POST', `/flows/${s.org.name}/${created.parameterized_name}/users`, { id: s.bob.id });
  }],
  ['removal from the organization', () => rest(s.alice, 'DELETE', `/organizations/${s.org.name}/users/${dave.id}`, undefined, 204)],
];

it.each(ACTIONS)('%s: state before + its events = state after', async (name, action) => {
  await eventsSoFar();
  const state = await fetchState(s, s.bob, s.flow.path, s.alice.id);
  const before = JSON.stringify(state);
  await action();
  const events = await eventsSoFar();
  for (const event of events) applyEvent(state, event);
  expect(state).toEqual(await fetchState(s, s.bob, s.flow.path, s.alice.id));
  // Each action did change what the client shows (typing changes nothing REST shows, but is received).
  if (name === 'typing') expect(events.filter((e) => e.event === 'typing')).toHaveLength(2);
  else expect(JSON.stringify(state)).not.toBe(before);
}, 20_000);
