/**
 * Losing access takes effect at once on live connections (ADR 006): after a block or a removal from
 * the organization, every open HTTP stream and WebSocket of that user, on every streaming node, gets
 * `flow-remove` and then nothing more of the flow; their typing and presence stop reaching it.
 */
import type { SeededUser } from '../support/stack';
import type { TestWs } from '../../streaming-api/testing/stream-test-harness';
import { type Frame, openStream, openWs, type RecordedStream } from './live-clients';
import { buildWorld, type World } from './world';

let w: World;
let watcher: TestWs;
beforeAll(async () => {
  w = await buildWorld();
  watcher = await openWs(w.nodes[0].ws, w.actors.admin.auth);
  watcher.send({ type: 'subscribe', flows: [{ flow: w.open.id }, { flow: w.s.flow.id }] });
  await watcher.next((f) => f.type === 'subscribed' && f.flow === w.s.flow.id, 'watcher on main');
  await watcher.next((f) => f.type === 'subscribed' && f.flow === w.open.id, 'watcher on open');
}, 60_000);
afterAll(async () => {
  watcher.ws.terminate();
  await w.stop();
});

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Posts as the member into `flowPath` and waits until the admin's watcher has it: the barrier for "nothing more". */
async function postAndSettle(flowPath: string, content: string): Promise<void> {
  expect((await w.call(w.actors.member, 'POST', `/flows/${flowPath}/messages`, { event: 'message', content })).status).toBe(201);
  await watcher.next((f) => f.content === content, content);
}

const isRemove = (flowId: string) => (f: Frame) => f.event === 'flow-remove' && (f.content as Frame).id === flowId;

/** The events after the connection's flow-remove of `flowId` (which must be there). */
function afterRemove(events: Frame[], flowId: string): Frame[] {
  const at = events.findIndex(isRemove(flowId));
  expect(at).toBeGreaterThanOrEqual(0);
  return events.slice(at + 1);
}

async function joinedMember(nick: string, flows: string[]): Promise<SeededUser> {
  const user = await w.addOrgUser(nick);
  for (const path of flows) expect((await w.call(w.actors.admin, 'POST', `/flows/${path}/users`, { id: user.id })).status).toBe(200);
  return user;
}

describe('blocked in a flow', () => {
  let grace: SeededUser;
  let wsWithUser: TestWs;
  let wsFlowOnly: TestWs;
  let json: RecordedStream;
  let sse: RecordedStream;

  beforeAll(async () => {
    grace = await joinedMember('grace', [w.open.path]);
    wsWithUser = await openWs(w.nodes[1].ws, grace.auth);
    wsWithUser.send({ type: 'subscribe', flows: [{ flow: w.open.id }], user: true });
    wsFlowOnly = await openWs(w.nodes[0].ws, grace.auth);
    wsFlowOnly.send({ type: 'subscribe', flows: [{ flow: w.open.path }] });
    for (const ws of [wsWithUser, wsFlowOnly]) await ws.next((f) => f.type === 'subscribed' && f.flow === w.open.id, 'subscribed');
    json = await openStream(`${w.nodes[0].http}/flows/${w.open.path}`, grace.auth, 'json');
    sse = await openStream(`${w.nodes[1].http}/flows?filter=${w.open.id}&user=1&active=true`, grace.auth, 'sse');
    wsFlowOnly.send({ type: 'presence', state: 'active' });
    await watcher.next((f) => f.event === 'activity.user' && f.user === String(grace.id), 'presence of grace');
    await postAndSettle(w.open.path, 'before the block');
    for (const events of [wsWithUser.events(), wsFlowOnly.events(), json.events, sse.events]) {
      await until(() => events.some((e) => e.content === 'before the block'), 'live before the block');
    }
    const users = await w.call(w.actors.admin, 'GET', `/flows/${w.open.path}/users`);
    expect(users.body.find((u: Frame) => u.id === grace.id).last_activity).toBeGreaterThan(0);

    expect((await w.call(w.actors.member, 'PUT', `/flows/${w.open.path}/users/${grace.id}`, { disabled: true })).status).toBe(200);
    for (const events of [() => wsWithUser.events(), () => wsFlowOnly.events(), () => json.events, () => sse.events]) {
      await until(() => events().some(isRemove(w.open.id)), 'flow-remove');
    }
    await postAndSettle(w.open.path, 'after the block');
  });
  afterAll(() => {
    for (const ws of [wsWithUser, wsFlowOnly]) ws.ws.terminate();
    for (const s of [json, sse]) s.close();
  });

  it('every open connection, on both nodes and both transports, gets flow-remove and then nothing of the flow', () => {
    for (const events of [wsWithUser.events(), wsFlowOnly.events(), json.events, sse.events]) {
      expect(afterRemove(events, w.open.id).filter((e) => e.flow === w.open.id)).toEqual([]);
    }
  });

  it('a WebSocket is told the subscription ended; an HTTP stream with no flow left is ended, one with user=1 stays', async () => {
    await wsFlowOnly.next((f) => f.type === 'unsubscribed' && f.flow === w.open.id && f.reason === 'access revoked', 'unsubscribed');
    await until(() => json.ended, 'JSON stream ended');
    expect(sse.ended).toBe(false);
  });

  it('typing and presence stop reaching the flow, and the flow users show no activity for them', async () => {
    wsWithUser.send({ type: 'typing', ref: 'typing', flow: w.open.id });
    expect(await wsWithUser.next((f) => f.ref === 'typing', 'typing answer')).toMatchObject({ type: 'error', status: 404 });
    const mark = watcher.events().length;
    wsFlowOnly.send({ type: 'presence', state: 'active' });
    await postAndSettle(w.open.path, 'after the presence');
    expect(watcher.events().slice(mark).filter((e) => e.user === String(grace.id))).toEqual([]);
    const users = await w.call(w.actors.admin, 'GET', `/flows/${w.open.path}/users`);
    expect(users.body.find((u: Frame) => u.id === grace.id)).toMatchObject({ disabled: true, last_activity: 0 });
  });

  it('the others see backend.user.block; a new subscription or stream is refused', async () => {
    expect(watcher.events().some((e) => e.event === 'backend.user.block' && e.content === grace.id && e.flow === w.open.id)).toBe(true);
    wsWithUser.send({ type: 'subscribe', ref: 'again', flows: [{ flow: w.open.id, since: 0 }] });
    expect(await wsWithUser.next((f) => f.ref === 'again', 'subscribe answer')).toMatchObject({ type: 'error', status: 404, message: 'flow not found' });
    expect((await openStream(`${w.nodes[1].http}/flows/${w.open.path}`, grace.auth, 'sse', { 'last-event-id': `${w.open.id}:0` })).status).toBe(404);
  });

  it('unblocked by someone else, the flow comes back (flow-add) and can be subscribed again', async () => {
    expect((await w.call(w.actors.admin, 'PUT', `/flows/${w.open.path}/users/${grace.id}`, { disabled: false })).status).toBe(200);
    await until(() => sse.events.some((e) => e.event === 'flow-add' && (e.content as Frame).id === w.open.id), 'flow-add');
    wsWithUser.send({ type: 'subscribe', ref: 'back', flows: [{ flow: w.open.id }] });
    expect(await wsWithUser.next((f) => f.ref === 'back' || (f.type === 'subscribed' && f.flow === w.open.id), 'subscribed again')).toMatchObject({ type: 'subscribed' });
  });
});

describe('removed from the organization', () => {
  let henry: SeededUser;
  let ws: TestWs;
  let json: RecordedStream;
  const flows = () => [w.open.id, w.s.flow.id];

  beforeAll(async () => {
    henry = await joinedMember('henry', [w.open.path, w.s.flow.path]);
    ws = await openWs(w.nodes[1].ws, henry.auth);
    ws.send({ type: 'subscribe', flows: flows().map((flow) => ({ flow })), user: true });
    for (const id of flows()) await ws.next((f) => f.type === 'subscribed' && f.flow === id, 'subscribed');
    json = await openStream(`${w.nodes[0].http}/flows?filter=${flows().join(',')}`, henry.auth, 'json');
    expect(json.status).toBe(200);

    expect((await w.call(w.actors.admin, 'DELETE', `/organizations/${w.s.org.name}/users/${henry.id}`)).status).toBe(204);
    for (const id of flows()) await until(() => ws.events().some(isRemove(id)) && json.events.some(isRemove(id)), `flow-remove of ${id}`);
    await postAndSettle(w.open.path, 'after the removal (open)');
    await postAndSettle(w.s.flow.path, 'after the removal (main)');
  });
  afterAll(() => {
    ws.ws.terminate();
    json.close();
  });

  it('each connection gets flow-remove for every flow of the organization, then nothing of them', async () => {
    for (const id of flows()) {
      for (const events of [ws.events(), json.events]) expect(afterRemove(events, id).filter((e) => flows().includes(e.flow as string))).toEqual([]);
    }
    await until(() => json.ended, 'the stream with no flow left ended');
  });

  it('the others see backend.user.block in each flow', () => {
    for (const id of flows()) expect(watcher.events().some((e) => e.event === 'backend.user.block' && e.content === henry.id && e.flow === id)).toBe(true);
  });

  it('nothing of the organization can be opened again', async () => {
    ws.send({ type: 'subscribe', ref: 'again', flows: [{ flow: w.open.id }] });
    expect(await ws.next((f) => f.ref === 'again', 'subscribe answer')).toMatchObject({ type: 'error', status: 404 });
    expect((await openStream(`${w.nodes[1].http}/flows/${w.s.flow.path}`, henry.auth, 'json')).status).toBe(404);
    expect((await w.call(henry, 'GET', `/flows/${w.open.path}/messages`)).status).toBe(404);
  });
});

describe('posting just after losing access', () => {
  /** Posts over REST, and over a WebSocket of each node, answering with their statuses. */
  async function postEverywhere(who: SeededUser, sockets: TestWs[], path: string, content: string): Promise<number[]> {
    const statuses = [(await w.call(who, 'POST', `/flows/${path}/messages`, { event: 'message', content })).status];
    for (const [i, ws] of sockets.entries()) {
      ws.send({ type: 'post', ref: `${content}-${i}`, flow: path, event: 'message', content });
      const answer = await ws.next((f) => f.ref === `${content}-${i}`, `answer to ${content}`, 10_000);
      statuses.push(answer.type === 'ack' ? 201 : (answer.status as number));
    }
    return statuses;
  }
  const stored = async (path: string, content: string) =>
    ((await w.call(w.actors.admin, 'GET', `/flows/${path}/messages?limit=100`)).body as Frame[]).filter((m) => m.content === content).length;

  // Each edge admitted this member's posts a moment ago and may answer from memory (ADR 035): the store's own check refuses them at once.
  it('a blocked member\'s next post is refused on every entry point, and nothing of it is stored', async () => {
    const ivy = await joinedMember('ivy', [w.open.path]);
    const sockets = [await openWs(w.nodes[0].ws, ivy.auth), await openWs(w.nodes[1].ws, ivy.auth)];
    try {
      expect(await postEverywhere(ivy, sockets, w.open.path, 'ivy before')).toEqual([201, 201, 201]);
      expect((await w.call(w.actors.member, 'PUT', `/flows/${w.open.path}/users/${ivy.id}`, { disabled: true })).status).toBe(200);
      expect(await postEverywhere(ivy, sockets, w.open.path, 'ivy blocked')).toEqual([404, 404, 404]);
      expect(await stored(w.open.path, 'ivy before')).toBe(3);
      expect(await stored(w.open.path, 'ivy blocked')).toBe(0);
    } finally {
      for (const ws of sockets) ws.ws.terminate();
    }
  });

  it('a member removed from the organization, and a flow archived, alike', async () => {
    const jay = await joinedMember('jay', [w.s.flow.path]);
    const sockets = [await openWs(w.nodes[0].ws, jay.auth), await openWs(w.nodes[1].ws, jay.auth)];
    try {
      expect(await postEverywhere(jay, sockets, w.s.flow.path, 'jay before')).toEqual([201, 201, 201]);
      expect((await w.call(w.actors.admin, 'DELETE', `/organizations/${w.s.org.name}/users/${jay.id}`)).status).toBe(204);
      expect(await postEverywhere(jay, sockets, w.s.flow.path, 'jay removed')).toEqual([404, 404, 404]);
      expect(await stored(w.s.flow.path, 'jay removed')).toBe(0);
    } finally {
      for (const ws of sockets) ws.ws.terminate();
    }
    const kim = await joinedMember('kim', []);
    const created = await w.call(w.actors.admin, 'POST', `/flows/${w.s.org.name}`, { name: 'Soon Archived' });
    expect(created.status).toBe(201);
    const path = `${w.s.org.name}/soon-archived`;
    expect((await w.call(w.actors.admin, 'POST', `/flows/${path}/users`, { id: kim.id })).status).toBe(200);
    const socket = await openWs(w.nodes[1].ws, kim.auth);
    try {
      expect(await postEverywhere(kim, [socket], path, 'kim before')).toEqual([201, 201]);
      expect((await w.call(w.actors.admin, 'PUT', `/flows/${path}`, { disabled: true })).status).toBe(200);
      expect(await postEverywhere(kim, [socket], path, 'kim archived')).toEqual([403, 403]);
      expect(await stored(path, 'kim archived')).toBe(0);
    } finally {
      socket.ws.terminate();
    }
  });
});

describe('joining an organization-mode flow', () => {
  it('opens its history and live events to the organization member who joins', async () => {
    const { nonJoined } = w.actors;
    const ws = await openWs(w.nodes[1].ws, nonJoined.auth);
    ws.send({ type: 'subscribe', ref: 'before', flows: [{ flow: w.open.id, since: 0 }] });
    expect(await ws.next((f) => f.ref === 'before', 'refused')).toMatchObject({ type: 'error', status: 404 });
    expect((await w.call(nonJoined, 'PUT', `/flows/${w.open.path}`, { open: true })).body).toMatchObject({ joined: true, open: true });
    ws.send({ type: 'subscribe', flows: [{ flow: w.open.id, since: 0 }] });
    await ws.next((f) => f.type === 'subscribed' && f.flow === w.open.id, 'subscribed');
    expect(ws.events().some((e) => e.content === 'seeded history')).toBe(true);
    ws.ws.terminate();
  });
});
