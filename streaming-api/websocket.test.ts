/** WebSocket API end to end: real Postgres store + directory, in-process bus, a real server and real `ws` clients. */
import { once } from 'node:events';
import { WebSocket } from 'ws';
import { silentLog } from '../core/log';
import { flowChannel } from '../core/messaging/channels';
import { PostgresShardLeases } from '../infra/postgres/postgres-shard-leases';
import { createMessageBackend } from '../message-backend/create-message-backend';
import { basic, StreamHarness, type TestWs, waitFor } from './testing/stream-test-harness';

let h: StreamHarness;
beforeAll(async () => {
  h = await StreamHarness.start({ sendBufferLimitBytes: 256 * 1024, maxBackfill: 20, slowConsumerGraceMs: 5000 });
});
afterAll(async () => {
  await h.stop();
});

async function authed(token: string): Promise<TestWs> {
  const client = await h.ws('', { authorization: basic(token) });
  await client.next((f) => f.type === 'hello', 'hello');
  return client;
}

async function subscribed(client: TestWs, flow: string, since?: number): Promise<Record<string, unknown>> {
  client.send({ type: 'subscribe', flows: [{ flow, ...(since !== undefined ? { since } : {}) }] });
  return client.next((f) => f.type === 'subscribed' && f.flow === flow, `subscribed ${flow}`);
}

const idsOf = (client: TestWs, flow: string) => client.events().filter((e) => e.flow === flow && typeof e.id === 'number').map((e) => e.id);

describe('WebSocket authentication', () => {
  test('a bad token at the upgrade is an HTTP 401', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}/ws?access_token=wrong`);
    ws.on('error', () => {});
    const [, res] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(res.statusCode).toBe(401);
  });

  test('header auth greets with hello; auth frame with email/password works; a wrong one closes 4001', async () => {
    const { user, token } = await h.seedUser('wsauth');
    const byHeader = await h.ws('', { authorization: `Bearer ${token}` });
    expect(await byHeader.next((f) => f.type === 'hello', 'hello')).toEqual({ type: 'hello', user: { id: user.id, nick: user.nick, name: user.name } });
    const byFrame = await h.ws();
    byFrame.send({ type: 'subscribe', flows: [] });
    expect(await byFrame.next((f) => f.type === 'error', 'error')).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    byFrame.send({ type: 'auth', email: user.email, password: 'secret-password' });
    expect(await byFrame.next((f) => f.type === 'hello', 'hello')).toMatchObject({ user: { id: user.id } });
    const wrong = await h.ws();
    wrong.send({ type: 'auth', token: 'nope' });
    await waitFor(() => wrong.closeCode, 'close');
    expect(wrong.closeCode).toBe(4001);
    expect(wrong.frames[0]).toMatchObject({ type: 'error', code: 'UNAUTHENTICATED' });
  });
});

describe('WebSocket subscriptions', () => {
  test('subscribe by path or id; events arrive as their raw JSON; invisible flows are NOT_FOUND', async () => {
    const a = await h.seedUser('wssub');
    const other = await h.seedUser('wsother');
    const client = await authed(a.token);
    client.send({ type: 'subscribe', flows: [{ flow: a.path }] });
    const answer = await client.next((f) => f.type === 'subscribed', 'subscribed');
    expect(answer).toEqual({ type: 'subscribed', flow: a.flow.id, path: a.path, last_id: 0 });
    client.send({ type: 'subscribe', flows: [{ flow: other.flow.id }] });
    expect(await client.next((f) => f.type === 'error', 'error')).toMatchObject({ code: 'NOT_FOUND', status: 404, flow: other.flow.id });
    const [m] = await h.persist(a.flow.id, 1);
    await waitFor(() => idsOf(client, a.flow.id).length === 1, 'event');
    expect(client.events()[0]).toEqual(m);
  });

  test('resume with since: backfill in order, no duplicate, while live events race with the backfill', async () => {
    const a = await h.seedUser('wsresume');
    const missed = await h.persist(a.flow.id, 6, { publish: false });
    const client = await authed(a.token);
    client.send({ type: 'subscribe', flows: [{ flow: a.flow.id, since: 2 }] });
    // Races: new messages, and re-publications of already backfilled ones (as a backend retry would).
    const live = h.persist(a.flow.id, 4);
    for (const m of missed.slice(3)) await h.bus.publish(flowChannel(a.flow.id), JSON.stringify(m));
    await live;
    await waitFor(() => idsOf(client, a.flow.id).length >= 8, 'all events');
    await new Promise((r) => setTimeout(r, 50));
    expect(idsOf(client, a.flow.id)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    // Backfill comes before `subscribed` (it may already include some of the racing messages).
    const sub = client.frames.findIndex((f) => f.type === 'subscribed');
    expect(client.frames.slice(0, sub).filter((f) => !('type' in f)).map((f) => f.id).slice(0, 4)).toEqual([3, 4, 5, 6]);
  });

  test('more than maxBackfill missed: resync, then live', async () => {
    const a = await h.seedUser('wsresync');
    await h.persist(a.flow.id, 25, { publish: false });
    const client = await authed(a.token);
    const sub = await subscribed(client, a.flow.id, 1);
    expect(sub.last_id).toBe(25);
    expect(client.frames.find((f) => f.type === 'resync')).toMatchObject({ flow: a.flow.id, reason: 'too many missed' });
    await h.persist(a.flow.id, 1);
    await waitFor(() => idsOf(client, a.flow.id).length === 1, 'live');
    expect(idsOf(client, a.flow.id)).toEqual([26]);
  });

  test('events lost on the bus are filled from the store before the next one, in order, once', async () => {
    const a = await h.seedUser('wsgap');
    const client = await authed(a.token);
    await subscribed(client, a.flow.id);
    await h.persist(a.flow.id, 1);
    // Persisted but never published, as when a failover drops pub/sub messages.
    await h.persist(a.flow.id, 3, { publish: false });
    await h.persist(a.flow.id, 2);
    await waitFor(() => idsOf(client, a.flow.id).length >= 6, 'all six');
    expect(idsOf(client, a.flow.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(client.frames.some((f) => f.type === 'resync')).toBe(false);
  });

  test('a gap larger than maxBackfill is answered with resync naming the last id to refetch, then live events', async () => {
    const a = await h.seedUser('wsgapfar');
    const client = await authed(a.token);
    await subscribed(client, a.flow.id);
    await h.persist(a.flow.id, 1);
    await h.persist(a.flow.id, 25, { publish: false });
    await h.persist(a.flow.id, 1);
    expect(await client.next((f) => f.type === 'resync', 'resync')).toEqual({ type: 'resync', flow: a.flow.id, reason: 'missed events', last_id: 26 });
    await waitFor(() => idsOf(client, a.flow.id).length >= 2, 'live after resync');
    expect(idsOf(client, a.flow.id)).toEqual([1, 27]);
  });

  test('typing reaches other subscribers; unsubscribe stops delivery', async () => {
    const a = await h.seedUser('wstyping');
    const one = await authed(a.token);
    const two = await authed(a.token);
    await subscribed(one, a.flow.id);
    await subscribed(two, a.flow.id);
    one.send({ type: 'typing', flow: a.flow.id });
    expect(await two.next((f) => f.event === 'typing', 'typing')).toMatchObject({ flow: a.flow.id, user: String(a.user.id), content: null });
    two.send({ type: 'unsubscribe', flows: [a.flow.id] });
    await two.next((f) => f.type === 'unsubscribed', 'unsubscribed');
    await h.persist(a.flow.id, 1);
    await waitFor(() => idsOf(one, a.flow.id).length === 1, 'event on one');
    expect(idsOf(two, a.flow.id)).toEqual([]);
  });

  test('a slow consumer is closed with 4008 while a fast one receives everything', async () => {
    const a = await h.seedUser('wsslow');
    const slow = await authed(a.token);
    const fast = await authed(a.token);
    await subscribed(slow, a.flow.id);
    await subscribed(fast, a.flow.id);
    slow.ws.pause();
    const content = 'x'.repeat(16_000);
    // 6.4 MB in bursts of 64 KB: more than loopback socket buffers hold for a reader that stopped.
    for (let i = 0; i < 100; i++) await h.persist(a.flow.id, 4, { content: () => content });
    await waitFor(() => idsOf(fast, a.flow.id).length === 400, 'fast consumer got all', 10_000);
    expect(idsOf(fast, a.flow.id)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    const dropped = await h.metrics.slowConsumersDropped.get();
    expect(dropped.values.find((v) => v.labels.transport === 'ws')?.value).toBe(1);
    slow.ws.resume();
    await waitFor(() => slow.closeCode, 'slow close', 10_000);
    expect(slow.closeCode).toBe(4008);
  });
});

describe('WebSocket post', () => {
  test('post goes through postMessage and the real message backend: ack with the stored message, event to subscribers', async () => {
    const leases = new PostgresShardLeases(h.db.url);
    const backend = createMessageBackend(
      { queue: h.queue, store: h.store, bus: h.bus, leases, metrics: h.metrics, log: silentLog() },
      { shardCount: 4, blockMs: 50, leaseRetryMs: 50 },
    );
    backend.start();
    try {
      const a = await h.seedUser('wspost');
      const poster = await authed(a.token);
      const reader = await authed(a.token);
      await subscribed(reader, a.flow.id);
      poster.send({ type: 'post', ref: 'p1', flow: a.path, event: 'message', content: 'hello over ws', uuid: 'ws-post-1' });
      const ack = await poster.next((f) => f.type === 'ack', 'ack', 10_000);
      expect(ack).toMatchObject({ ref: 'p1', message: { id: 1, event: 'message', content: 'hello over ws', flow: a.flow.id, user: String(a.user.id), uuid: 'ws-post-1' } });
      expect(await reader.next((f) => f.id === 1, 'event')).toEqual(ack.message);
      poster.send({ type: 'post', ref: 'p2', flow: a.flow.id, event: 'message', content: 'hello over ws', uuid: 'ws-post-1' });
      expect(await poster.next((f) => f.type === 'ack' && f.ref === 'p2', 'replayed ack')).toMatchObject({ message: { id: 1 } });
    } finally {
      await backend.stop();
      await leases.close();
    }
  });
});

describe('WebSocket frames', () => {
  test('bad frames get VALIDATION_FAILED naming the field, and the connection stays open', async () => {
    const a = await h.seedUser('wsbad');
    const client = await authed(a.token);
    const cases: [unknown, string][] = [
      ['not json', 'body'],
      [{ type: 'dance' }, 'type'],
      [{ type: 'subscribe', flows: [{ flow: a.flow.id, since: -1 }] }, 'flows.0.since'],
      [{ type: 'presence', state: 'asleep' }, 'state'],
      [{ type: 'post', ref: 'r1', flow: a.flow.id, event: 'message', content: '' }, 'content'],
    ];
    for (const [frame, field] of cases) {
      client.frames.length = 0;
      client.send(frame);
      const error = await client.next((f) => f.type === 'error', `error for ${field}`);
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
      expect(Object.keys(error.errors as object)).toContain(field);
    }
    expect(client.frames[0]).toMatchObject({ ref: 'r1' });
    client.send({ type: 'ping', ref: 9 });
    expect(await client.next((f) => f.type === 'pong', 'pong')).toEqual({ type: 'pong', ref: 9 });
  });

  test('close(): WebSockets get 1001 and HTTP streams end', async () => {
    const a = await h.seedUser('wsclose');
    const client = await authed(a.token);
    const stream = await h.stream(`/flows?filter=${a.flow.id}`, { authorization: basic(a.token) });
    const ended = once(stream.res, 'end');
    expect(h.service.connectionCount()).toBeGreaterThanOrEqual(2);
    await h.service.close();
    await waitFor(() => client.closeCode, 'ws close');
    expect(client.closeCode).toBe(1001);
    await ended;
    expect(h.service.connectionCount()).toBe(0);
  });
});
