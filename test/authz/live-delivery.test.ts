/**
 * Live events of the authorization matrix: with every actor listening on both transports (spread
 * over two streaming nodes), each event type reaches exactly the users allowed to read it.
 */
import type { TestWs } from '../../streaming-api/testing/stream-test-harness';
import { type Frame, openStream, openWs, type RecordedStream } from './live-clients';
import { ACTORS, type Actor, buildWorld, type World } from './world';

let w: World;
const listeners = new Map<Actor, { ws: TestWs; http: RecordedStream }>();
const READERS: Actor[] = ['admin', 'member'];

beforeAll(async () => {
  w = await buildWorld();
  for (const [i, actor] of ACTORS.entries()) {
    const { auth } = w.actors[actor];
    const reader = READERS.includes(actor);
    const ws = await openWs(w.nodes[i % 2]!.ws, auth);
    // Everybody tries the flow; only readers get it. Everybody gets their user channel.
    ws.send({ type: 'subscribe', flows: [{ flow: w.open.id }], user: true });
    await ws.next((f) => f.type === 'subscribed' && f.user === true, 'user channel');
    await ws.next((f) => (f.type === 'subscribed' || f.type === 'error') && f.flow !== undefined, 'flow answer');
    const http = await openStream(`${w.nodes[(i + 1) % 2]!.http}/flows?filter=${reader ? w.open.id : ''}&user=1`, auth, 'json');
    expect(http.status).toBe(200);
    listeners.set(actor, { ws, http });
  }
}, 60_000);
afterAll(async () => {
  for (const { ws, http } of listeners.values()) {
    ws.ws.terminate();
    http.close();
  }
  await w.stop();
});

const id = (actor: Actor) => String(w.actors[actor].id);
const contentText = (f: Frame): unknown => (typeof f.content === 'object' && f.content !== null ? (f.content as Frame).text ?? (f.content as Frame).updated_content : f.content);

/** Each live event produced below, how to recognize it, and who may receive it. */
const EVENTS: { name: string; is: (f: Frame) => boolean; readers: () => Actor[] }[] = [
  { name: 'message (REST)', is: (f) => f.event === 'message' && f.content === 'live message', readers: () => READERS },
  { name: 'comment', is: (f) => f.event === 'comment' && contentText(f) === 'live comment', readers: () => READERS },
  { name: 'message-edit', is: (f) => f.event === 'message-edit' && contentText(f) === 'live edited', readers: () => READERS },
  { name: 'tag-change', is: (f) => f.event === 'tag-change' && JSON.stringify(f.content).includes('live-tag'), readers: () => READERS },
  { name: 'thread message', is: (f) => f.content === 'live thread' && typeof f.thread_id === 'string', readers: () => READERS },
  { name: 'message (WebSocket post)', is: (f) => f.content === 'live ws post', readers: () => READERS },
  { name: 'typing', is: (f) => f.event === 'typing' && f.user === id('admin'), readers: () => READERS },
  { name: 'activity.user', is: (f) => f.event === 'activity.user' && f.user === id('member'), readers: () => READERS },
  { name: 'typing/presence of people who may not read', is: (f) => (f.event === 'typing' || f.event === 'activity.user') && f.user !== id('admin') && f.user !== id('member'), readers: () => [] },
  { name: 'backend.user.join', is: (f) => f.event === 'backend.user.join' && (f.content as { user: Frame }).user.nick === 'ivan', readers: () => READERS },
  { name: 'user-edit', is: (f) => f.event === 'user-edit' && (f.content as { user: Frame }).user.name === 'Bob Renamed', readers: () => READERS },
  { name: 'private message (admin → member)', is: (f) => f.content === 'live private' && f.to === id('member'), readers: () => ['admin', 'member'] },
  { name: 'private message (non-joined → blocked)', is: (f) => f.content === 'live private 2' && f.to === id('blocked'), readers: () => ['nonJoined', 'blocked'] },
  { name: 'flow-add / flow-remove of others', is: (f) => f.event === 'flow-add' || f.event === 'flow-remove', readers: () => [] },
];

beforeAll(async () => {
  const { admin, member, blocked, nonJoined } = w.actors;
  const flow = `/flows/${w.open.path}`;
  const ws = (a: Actor) => listeners.get(a)!.ws;
  const posted = await w.call(member, 'POST', `${flow}/messages`, { event: 'message', content: 'live message' });
  expect(posted.status).toBe(201);
  expect((await w.call(admin, 'POST', `${flow}/messages/${w.seeded.id}/comments`, { event: 'comment', content: 'live comment' })).status).toBe(201);
  expect((await w.call(member, 'PUT', `${flow}/messages/${posted.body.id}`, { content: 'live edited' })).status).toBe(200);
  expect((await w.call(admin, 'PUT', `${flow}/messages/${posted.body.id}`, { tags: ['live-tag'] })).status).toBe(200);
  expect((await w.call(member, 'POST', `${flow}/threads/${w.seeded.threadId}/messages`, { event: 'message', content: 'live thread' })).status).toBe(201);
  ws('admin').send({ type: 'post', ref: 'p', flow: w.open.id, event: 'message', content: 'live ws post' });
  await ws('admin').next((f) => f.type === 'ack', 'ack');
  ws('admin').send({ type: 'typing', flow: w.open.id });
  ws('member').send({ type: 'presence', state: 'active' });
  for (const a of ['blocked', 'nonJoined', 'outsider', 'removed'] as const) {
    ws(a).send({ type: 'typing', ref: `t-${a}`, flow: w.open.id });
    ws(a).send({ type: 'presence', state: 'active' });
    await ws(a).next((f) => f.type === 'error' && f.ref === `t-${a}`, 'typing refused');
  }
  const ivan = await w.addOrgUser('ivan');
  expect((await w.call(admin, 'POST', `${flow}/users`, { id: ivan.id })).status).toBe(200);
  expect((await w.call(member, 'PUT', `/users/${member.id}`, { name: 'Bob Renamed' })).status).toBe(200);
  expect((await w.call(admin, 'POST', `/private/${member.id}/messages`, { event: 'message', content: 'live private' })).status).toBe(201);
  expect((await w.call(nonJoined, 'POST', `/private/${blocked.id}/messages`, { event: 'message', content: 'live private 2' })).status).toBe(201);
  // The barrier: once every reader has the sentinel on both transports, whatever was published before it has been delivered.
  expect((await w.call(member, 'POST', `${flow}/messages`, { event: 'message', content: 'sentinel' })).status).toBe(201);
  const until = Date.now() + 5000;
  const seen = () => READERS.every((a) => [listeners.get(a)!.ws.events(), listeners.get(a)!.http.events].every((evs) => evs.some((e) => e.content === 'sentinel')));
  while (!seen()) {
    if (Date.now() > until) throw new Error('sentinel not delivered to every reader');
    await new Promise((r) => setTimeout(r, 10));
  }
}, 30_000);

describe.each(EVENTS)('$name', ({ is, readers }) => {
  it.each(['WebSocket', 'HTTP stream'] as const)('reaches exactly its readers over %s', (transport) => {
    const received = ACTORS.filter((a) => {
      const l = listeners.get(a)!;
      return (transport === 'WebSocket' ? l.ws.events() : l.http.events).some(is);
    });
    expect(received).toEqual(ACTORS.filter((a) => readers().includes(a)));
  });
});

it('nobody who may not read the flow received anything of it, on any connection', () => {
  for (const a of ACTORS.filter((x) => !READERS.includes(x))) {
    const l = listeners.get(a)!;
    expect([...l.ws.events(), ...l.http.events].filter((e) => e.flow === w.open.id)).toEqual([]);
  }
});
