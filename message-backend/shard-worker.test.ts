/** The shard worker against real Postgres (store + leases) and the in-process queue and bus. */
import { InProcessBus } from '../core/in-process/in-process-bus';
import { InProcessWorkQueue } from '../core/in-process/in-process-work-queue';
import { silentLog } from '../core/log';
import { flowChannel, replyChannel } from '../core/messaging/channels';
import type { PersistReply, PostCommand } from '../core/messaging/commands';
import { shardOf } from '../core/messaging/shards';
import { createMetrics } from '../core/metrics';
import { PostgresMessageStore } from '../infra/postgres/postgres-message-store';
import { PostgresShardLeases } from '../infra/postgres/postgres-shard-leases';
import { waitFor } from '../streaming-api/testing/stream-test-harness';
import { eventually } from '../test/support/feed-server';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres';
import { createMessageBackend } from './create-message-backend';

const SHARDS = 2;
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

function post(conversation: string, uuid: string, content: string): PostCommand {
  return {
    kind: 'post', conversation, uuid, actor: '1', replyTo: replyChannel('test'),
    draft: { uuid, event: 'message', content, tags: [], user: '1', flow: conversation, sent: Date.now(), app: 'chat', attachments: [] },
  };
}

/** A backend on its own leases; pass the queue and bus of an earlier one to stand in for it after it stopped. */
function setup(shared: { queue: InProcessWorkQueue; bus: InProcessBus } = { queue: new InProcessWorkQueue(), bus: new InProcessBus() }) {
  const { queue, bus } = shared;
  const store = new PostgresMessageStore({ pool: db.pool });
  const leases = new PostgresShardLeases(db.url);
  const metrics = createMetrics();
  const backend = createMessageBackend({ queue, bus, store, leases, metrics, log: silentLog() }, { shardCount: SHARDS, blockMs: 100, leaseRetryMs: 50 });
  return { queue, bus, store, leases, metrics, backend };
}

async function collect(bus: InProcessBus, channel: string, count: number, timeoutMs = 5000): Promise<unknown[]> {
  const got: unknown[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const sub = await bus.subscribe(channel, (payload) => {
    got.push(JSON.parse(payload.toString()));
    if (got.length === count) done();
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([finished, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
  clearTimeout(timer);
  await sub.unsubscribe();
  return got;
}

it('persists queued posts in order, publishes them, replies, and drains the queue', async () => {
  const { queue, bus, store, leases, backend } = setup();
  const flow = 'flow-order';
  const shard = shardOf(flow, SHARDS);
  const replies = collect(bus, replyChannel('test'), 3);
  const events = collect(bus, flowChannel(flow), 3);
  backend.start();
  for (const n of [1, 2, 3]) await queue.append(shard, JSON.stringify(post(flow, `u${n}`, `m${n}`)));
  const got = (await replies) as PersistReply[];
  expect(got.map((r) => [r.uuid, r.message?.id])).toEqual([['u1', 1], ['u2', 2], ['u3', 3]]);
  expect(((await events) as { content: string }[]).map((e) => e.content)).toEqual(['m1', 'm2', 'm3']);
  expect((await store.list(flow, { limit: 10 })).map((m) => m.content)).toEqual(['m1', 'm2', 'm3']);
  await new Promise((r) => setTimeout(r, 50));
  expect(await queue.depth(shard)).toBe(0);
  await backend.stop();
  await leases.close();
});

it('stores a uuid once even when it is queued twice', async () => {
  const { queue, bus, store, leases, backend } = setup();
  const flow = 'flow-dupe';
  const shard = shardOf(flow, SHARDS);
  const replies = collect(bus, replyChannel('test'), 3);
  await queue.append(shard, JSON.stringify(post(flow, 'same', 'first')));
  await queue.append(shard, JSON.stringify(post(flow, 'same', 'first')));
  backend.start();
  await new Promise((r) => setTimeout(r, 300));
  await queue.append(shard, JSON.stringify(post(flow, 'same', 'first')));
  const got = (await replies) as PersistReply[];
  expect(got.map((r) => r.message?.id)).toEqual([1, 1, 1]);
  expect(await store.list(flow, { limit: 10 })).toHaveLength(1);
  await backend.stop();
  await leases.close();
});

it('a retry among new posts (written first as if all were new) is answered with its stored message; the others are stored once, in order', async () => {
  const before = setup();
  const { queue, bus, store } = before;
  const flow = 'flow-retry-mix';
  const shard = shardOf(flow, SHARDS);
  const first = collect(bus, replyChannel('test'), 1);
  before.backend.start();
  await queue.append(shard, JSON.stringify(post(flow, 'kept', 'first')));
  expect(((await first) as PersistReply[])[0]!.message?.id).toBe(1);
  await before.backend.stop();
  await before.leases.close();
  // Queued while no backend runs, so they make one batch: a new post, the retry, another sender's
  // post under the stored uuid, a new post.
  const thief = { ...post(flow, 'kept', 'not yours'), actor: '2', draft: { ...post(flow, 'kept', 'not yours').draft, user: '2' } };
  for (const c of [post(flow, 'n1', 'second'), post(flow, 'kept', 'first'), thief, post(flow, 'n2', 'third')]) await queue.append(shard, JSON.stringify(c));
  const after = setup({ queue, bus });
  const replies = collect(bus, replyChannel('test'), 4);
  after.backend.start();
  const got = (await replies) as PersistReply[];
  expect(got.map((r) => [r.uuid, r.message?.id ?? r.error?.code, r.replayed ?? false])).toEqual([
    ['n1', 2, false],
    ['kept', 1, true],
    ['kept', 'CONFLICT', false],
    ['n2', 3, false],
  ]);
  expect((await store.list(flow, { limit: 10, sort: 'asc' })).map((m) => [m.id, m.content])).toEqual([[1, 'first'], [2, 'second'], [3, 'third']]);
  expect((await after.metrics.persistConflictRewrites.get()).values[0]?.value).toBe(1);
  expect(await queue.deadLetterCount()).toBe(0);
  await after.backend.stop();
  await after.leases.close();
});

it('splits the shards between the live workers (a joining worker gets its share, posts go on once each), and a worker that goes away leaves its shards to the others', async () => {
  const first = setup();
  const second = setup({ queue: first.queue, bus: first.bus });
  const owned = (w: typeof first) => async () => w.backend.ownedShards();
  first.backend.start();
  await eventually(owned(first), (s) => s.length === 2, 'the first worker owning both shards');
  second.backend.start();
  // The first hands over its highest shard once it sees the second; the second takes it.
  await eventually(owned(second), (s) => s.length === 1, 'the second worker owning one shard');
  expect(first.backend.ownedShards()).toEqual([0]);
  expect(second.backend.ownedShards()).toEqual([1]);
  // Each worker writes its own shard: a post to a flow of each is stored and answered once.
  const flows = ['split-a', 'split-b', 'split-c', 'split-d'].filter((f, i, all) => all.findIndex((g) => shardOf(g, SHARDS) === shardOf(f, SHARDS)) === i);
  expect(new Set(flows.map((f) => shardOf(f, SHARDS))).size).toBe(2);
  const replies = collect(first.bus, replyChannel('test'), 2);
  for (const flow of flows) await first.queue.append(shardOf(flow, SHARDS), JSON.stringify(post(flow, `${flow}-1`, 'hello')));
  expect(((await replies) as PersistReply[]).map((r) => r.message?.id)).toEqual([1, 1]);
  for (const flow of flows) expect(await first.store.list(flow, { limit: 10 })).toHaveLength(1);
  await first.backend.stop();
  await first.leases.close();
  await eventually(owned(second), (s) => s.length === 2, 'the second worker owning both shards');
  await second.backend.stop();
  await second.leases.close();
});

it('a lost lease ends its shards’ loops; taken again, each shard is read afresh and its posts are stored and published once, in order', async () => {
  const { queue, bus, store, leases, backend } = setup();
  const flow = 'flow-relost';
  const shard = shardOf(flow, SHARDS);
  const tokens = async (): Promise<number[]> => (await db.pool.query<{ token: string }>('SELECT token FROM shard_leases ORDER BY shard')).rows.map((r) => Number(r.token));
  backend.start();
  await waitFor(() => backend.ownedShards().length === SHARDS, 'every shard owned');
  const before = await tokens();
  // Ends the leases' session, as a dropped connection would: every lock is gone at once.
  await db.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tributary-shard-leases' AND datname = current_database()");
  // Taken again under new tokens, possibly while the first loops still wait in their reads.
  for (const deadline = Date.now() + 5000; ; await new Promise((r) => setTimeout(r, 20))) {
    const now = await tokens();
    if (now.every((token, i) => token > (before[i] ?? Number.POSITIVE_INFINITY)) && backend.ownedShards().length === SHARDS) break;
    if (Date.now() > deadline) throw new Error(`shards not taken again: tokens ${before} -> ${now}`);
  }
  const replies = collect(bus, replyChannel('test'), 3);
  // One more than posted: a batch handled twice would be published twice.
  const events = collect(bus, flowChannel(flow), 4, 1500);
  for (const n of [1, 2, 3]) await queue.append(shard, JSON.stringify(post(flow, `r${n}`, `m${n}`)));
  expect(((await replies) as PersistReply[]).map((r) => [r.uuid, r.message?.id])).toEqual([['r1', 1], ['r2', 2], ['r3', 3]]);
  expect(((await events) as { content: string }[]).map((e) => e.content)).toEqual(['m1', 'm2', 'm3']);
  expect((await store.list(flow, { limit: 10 })).map((m) => m.content)).toEqual(['m1', 'm2', 'm3']);
  await backend.stop();
  await leases.close();
});

it('a stale owner is fenced off: its write under an old token fails and stores nothing', async () => {
  const store = new PostgresMessageStore({ pool: db.pool });
  const a = new PostgresShardLeases(db.url);
  const b = new PostgresShardLeases(db.url);
  const old = await a.tryAcquire(1);
  expect(old).not.toBeNull();
  expect(await b.tryAcquire(1)).toBeNull();
  await a.close(); // the session ends: the lock is free, but `a` could still try to write
  const current = await b.tryAcquire(1);
  expect(current!.token).toBeGreaterThan(old!.token);
  const message = { id: 1, uuid: 'fenced', event: 'message', content: 'x', tags: [], user: '1', flow: 'fenced-flow', sent: 1, created_at: new Date().toISOString(), edited: null, app: 'chat', attachments: [] };
  await expect(store.writeBatch({ inserts: [{ conversation: 'fenced-flow', message }], updates: [], threads: [] }, old!)).rejects.toThrow(/no longer current/);
  expect(await store.get('fenced-flow', 1)).toBeNull();
  await b.close();
});
