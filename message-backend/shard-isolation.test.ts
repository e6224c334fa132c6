/**
 * One bad entry never stalls anything: poison entries are set aside as dead letters while the rest
 * of their batch, their shard and every other shard go on; a shard whose writes fail for a
 * transient reason backs off alone. Real Postgres (store, leases) and real Redis (queue).
 */
import { Writable } from 'node:stream';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { InProcessBus } from '../core/in-process/in-process-bus';
import { flowChannel, replyChannel } from '../core/messaging/channels';
import type { Flow } from '../core/domain/types';
import type { PersistReply, QueueCommand } from '../core/messaging/commands';
import { shardOf } from '../core/messaging/shards';
import { createMetrics } from '../core/metrics';
import { PostgresDirectory } from '../infra/postgres/directory/postgres-directory';
import { PostgresMessageStore } from '../infra/postgres/postgres-message-store';
import { PostgresShardLeases } from '../infra/postgres/postgres-shard-leases';
import { RedisWorkQueue } from '../infra/redis/redis-work-queue';
import { waitFor } from '../streaming-api/testing/stream-test-harness';
import { createTestDatabase, type TestDatabase } from '../test/support/postgres';
import { TEST_REDIS_URL, testPrefix } from '../test/support/redis';
import { createMessageBackend, type MessageBackend } from './create-message-backend';

const SHARDS = 4;
const REPLIES = replyChannel('isolation-test');
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** One flow name per shard, so a test can post to every shard. */
function flowPerShard(label: string): string[] {
  const flows: string[] = [];
  for (let i = 0; flows.filter(Boolean).length < SHARDS; i++) {
    const name = `${label}-${i}`;
    flows[shardOf(name, SHARDS)] ??= name;
  }
  return flows;
}

function post(flow: string, uuid: string, content: string, tags: string[] = []): QueueCommand {
  return {
    kind: 'post', conversation: flow, uuid, actor: '1', replyTo: REPLIES,
    draft: { uuid, event: 'message', content, tags, user: '1', flow, sent: Date.now(), app: 'chat', attachments: [] },
  };
}

/** Log lines a pino logger wrote, parsed. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

/** Polls an async condition until it holds or 5 s pass. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Starts the backend, waits until it owns every shard, then holds the fence row of `flow`'s shard
 * in an open transaction on its own connection (`locker`): that shard's batch writes wait on it.
 */
async function startWithShardLocked(backend: MessageBackend, flow: string): Promise<{ flow: string; shard: number; locker: Client }> {
  backend.start();
  await waitFor(() => backend.ownedShards().length === SHARDS, 'all shards owned');
  const shard = shardOf(flow, SHARDS);
  const locker = new Client({ connectionString: db.url });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('SELECT token FROM shard_leases WHERE shard = $1 FOR UPDATE', [shard]);
  return { flow, shard, locker };
}

function setup(options: { pool?: Pool } = {}) {
  const queue = new RedisWorkQueue({ url: TEST_REDIS_URL, prefix: testPrefix() });
  const bus = new InProcessBus();
  const store = new PostgresMessageStore({ pool: options.pool ?? db.pool });
  const leases = new PostgresShardLeases(db.url);
  const metrics = createMetrics();
  const { log, lines } = capturedLog();
  const replies: PersistReply[] = [];
  const backend = createMessageBackend(
    { queue, bus, store, leases, metrics, log },
    { shardCount: SHARDS, blockMs: 100, leaseRetryMs: 50, maxAttempts: 3, attemptDelayMs: 10, backoffBaseMs: 50, backoffMaxMs: 400, gaugeSampleMs: 50 },
  );
  const listening = bus.subscribe(REPLIES, (payload) => replies.push(JSON.parse(payload.toString())));
  const replyTo = (uuid: string) => waitFor(() => replies.find((r) => r.uuid === uuid), `reply to ${uuid}`, 10_000);
  const stop = async () => {
    await backend.stop();
    await leases.close();
    await queue.close();
    await (await listening).unsubscribe();
  };
  return { queue, bus, store, metrics, lines, replies, replyTo, backend, stop };
}

test('poison entries become dead letters; the rest of the batch, the shard and every other shard are stored', async () => {
  const { queue, store, metrics, lines, replyTo, backend, stop } = setup();
  const flows = flowPerShard('poison');
  const flow = flows[0]!;
  const shard = shardOf(flow, SHARDS);
  // Appended straight onto the queue, as an edge with a validation bug would.
  await queue.append(shard, JSON.stringify(post(flow, 'g1', 'first')));
  await queue.append(shard, JSON.stringify(post(flow, 'nul', 'SECRET x\u0000y')));
  await queue.append(shard, JSON.stringify(post(flow, 'g2', 'second')));
  await queue.append(shard, JSON.stringify(post(flow, 'surrogate', 'SECRET', ['\ud800'])));
  await queue.append(shard, 'not a command');
  await queue.append(shard, JSON.stringify(post(flow, 'g3', 'third')));
  for (const other of flows.slice(1)) await queue.append(shardOf(other, SHARDS), JSON.stringify(post(other, `o-${other}`, 'other shard')));
  backend.start();

  expect((await replyTo('g1')).message?.id).toBe(1);
  expect((await replyTo('g2')).message?.id).toBe(2);
  expect((await replyTo('g3')).message?.id).toBe(3);
  for (const uuid of ['nul', 'surrogate']) expect((await replyTo(uuid)).error?.code).toBe('MESSAGE_NOT_SAVED');
  for (const other of flows.slice(1)) expect((await replyTo(`o-${other}`)).message?.id).toBe(1);
  expect((await store.list(flow, { limit: 10 })).map((m) => m.content)).toEqual(['first', 'second', 'third']);

  const letters = await queue.deadLetters(10);
  expect(letters.map((l) => [l.shard, l.attempts])).toEqual([[shard, 3], [shard, 3], [shard, 1]]);
  expect(letters[2]?.payload).toBe('not a command');
  expect(JSON.parse(letters[0]!.payload)).toMatchObject({ uuid: 'nul', draft: { content: 'SECRET x\u0000y' } });
  for (const l of letters) expect(l.error.length).toBeGreaterThan(0);
  expect((await metrics.deadLettered.get()).values.reduce((sum, v) => sum + v.value, 0)).toBe(3);

  // One structured line per dead letter, naming it without its content.
  const logged = lines.filter((l) => l.deadLetter !== undefined);
  expect(logged.map((l) => [l.uuid, l.shard])).toEqual([['nul', shard], ['surrogate', shard], [undefined, shard]]);
  for (const l of logged) expect(JSON.stringify(l)).not.toContain('SECRET');

  // The worker samples the gauges on its own (every 50 ms here): poll until a sample shows the queue drained.
  const drained = async () => {
    const depth = (await metrics.queueDepth.get()).values;
    return depth.length === SHARDS && depth.every((v) => v.value === 0) && (await metrics.deadLettersHeld.get()).values[0]?.value === 3;
  };
  await until(drained, 'gauges sampled after the dead letters');
  expect((await metrics.queueDepth.get()).values.map((v) => v.labels.shard).sort()).toEqual(['0', '1', '2', '3']);

  // An operator drops a poison entry, and requeues an entry set aside by mistake: it is stored.
  expect(await queue.dropDeadLetter(letters[1]!.id)).toBe(true);
  const mistaken = await queue.deadLetter(shard, { cursor: 'x', payload: JSON.stringify(post(flow, 'g4', 'fourth')) }, { error: 'outage', attempts: 3 });
  expect(await queue.requeueDeadLetter(mistaken.id)).not.toBeNull();
  expect((await replyTo('g4')).message?.id).toBe(4);
  expect((await queue.deadLetters(10)).map((l) => l.id)).toEqual([letters[0]!.id, letters[2]!.id]);
  await stop();
});

test('a shard whose writes fail for a transient reason backs off alone, then catches up', async () => {
  // A real lock conflict on the shard's fence row, turned into an error by Postgres' lock_timeout.
  const pool = new Pool({ connectionString: db.url, max: 4, options: '-c lock_timeout=100' });
  const { queue, bus, lines, replies, replyTo, backend, stop } = setup({ pool });
  const flows = flowPerShard('transient');
  const { flow: blocked, shard, locker } = await startWithShardLocked(backend, flows[1]!);

  const events: string[] = [];
  const sub = await bus.subscribe(flowChannel(blocked), (payload) => events.push(JSON.parse(payload.toString()).uuid));
  await queue.append(shard, JSON.stringify(post(blocked, 'waits', 'held back')));
  await waitFor(() => lines.filter((l) => l.shard === shard && l.retryInMs !== undefined).length >= 3, 'three backoffs', 10_000);
  // Meanwhile every other shard goes on, more than once.
  for (const round of [1, 2]) {
    for (const flow of flows.filter((f) => f !== blocked)) {
      await queue.append(shardOf(flow, SHARDS), JSON.stringify(post(flow, `${flow}-${round}`, 'goes on')));
      expect((await replyTo(`${flow}-${round}`)).message?.id).toBe(round);
    }
  }
  expect(replies.find((r) => r.uuid === 'waits')).toBeUndefined();
  const waits = lines.filter((l) => l.shard === shard && typeof l.retryInMs === 'number').map((l) => l.retryInMs as number);
  expect(waits.slice(0, 3)).toEqual([50, 100, 200]);
  expect(Math.max(...waits)).toBeLessThanOrEqual(400);

  await locker.query('COMMIT');
  expect((await replyTo('waits')).message?.id).toBe(1);
  expect(events).toEqual(['waits']);
  expect(await queue.deadLetterCount()).toBe(0);
  await sub.unsubscribe();
  await locker.end();
  await stop();
  await pool.end();
});

test('a slow shard does not hold back the others: their posts are acknowledged while its commit waits', async () => {
  const { queue, replies, replyTo, backend, stop } = setup();
  const flows = flowPerShard('slow');
  // Its batch statement waits on the lock (no lock_timeout here) until the commit below.
  const { flow: slow, shard, locker } = await startWithShardLocked(backend, flows[2]!);
  let committed = false;
  try {
    await queue.append(shard, JSON.stringify(post(slow, 'held', 'held back')));
    // Asked on another connection: inside the locker's transaction pg_stat_activity is a snapshot.
    const waitingOnLock = async () =>
      (await db.pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).rows[0].n > 0;
    await until(waitingOnLock, 'the slow shard blocked on the lock');

    // Every other shard is read, stored and acknowledged again and again meanwhile.
    for (const round of [1, 2, 3]) {
      for (const flow of flows.filter((f) => f !== slow)) {
        await queue.append(shardOf(flow, SHARDS), JSON.stringify(post(flow, `${flow}-${round}`, 'not held')));
        expect((await replyTo(`${flow}-${round}`)).message?.id).toBe(round);
      }
    }
    expect(replies.find((r) => r.uuid === 'held')).toBeUndefined();
    expect(await waitingOnLock()).toBe(true);

    // The slow shard's pipeline goes on where it was: its post is stored once, in order with the next.
    await queue.append(shard, JSON.stringify(post(slow, 'after', 'after it')));
    await locker.query('COMMIT');
    committed = true;
    expect((await replyTo('held')).message?.id).toBe(1);
    expect((await replyTo('after')).message?.id).toBe(2);
  } finally {
    // A failing run must not leave the slow shard's statement waiting forever (stop() finishes the batch in hand).
    if (!committed) await locker.query('ROLLBACK');
    await locker.end();
    await stop();
  }
});

/** A user who is a member of `flows` of a fresh organization named `label`, on the test database's directory. */
async function memberOf(label: string, flowNames: string[], email: string) {
  const directory = new PostgresDirectory(db.pool);
  const org = await directory.createOrganization(label);
  const flows = [];
  for (const name of flowNames) flows.push(await directory.createFlow(org.id, name));
  const user = await directory.createUser({ email, name: email.split('@')[0]!, password: 'correct horse battery' });
  await directory.addOrganizationMember(org.id, user.id, false);
  for (const f of flows) await directory.addFlowMember(f.id, user.id);
  return { directory, org, flows, user };
}

/** A member's post, as their edge queues it (ADR 035: the member travels with it). */
function byMember(flowId: string, member: number, uuid: string, content: string): QueueCommand {
  const command = post(flowId, uuid, content);
  return command.kind === 'post' ? { ...command, member, actor: String(member), draft: { ...command.draft, user: String(member) } } : command;
}

test('a member who may no longer post is refused as the batch is written: their posts alone are answered, the rest of the batch is stored in order', async () => {
  const { queue, store, metrics, replyTo, backend, stop } = setup();
  const { directory, org, flows, user: ann } = await memberOf('Refusals', ['Room', 'Attic'], 'ann@example.com');
  const [room, attic] = flows as [Flow, Flow];
  const bob = await directory.createUser({ email: 'bob@example.com', name: 'Bob', password: 'correct horse battery' });
  await directory.addOrganizationMember(org.id, bob.id, false);
  for (const f of [room, attic]) await directory.addFlowMember(f.id, bob.id);
  // Admitted by their edges before these changes (or from an edge's memory of an earlier answer: ADR 035).
  await directory.setFlowMemberDisabled(room.id, bob.id, true);
  await directory.updateFlow(attic.id, { disabled: true });
  const shard = shardOf(room.id, SHARDS);
  await queue.append(shard, JSON.stringify(byMember(room.id, ann.id, 'ann-1', 'one')));
  await queue.append(shard, JSON.stringify(byMember(room.id, bob.id, 'bob-1', 'blocked')));
  await queue.append(shard, JSON.stringify(post(room.id, 'source-1', 'a source, not a member')));
  await queue.append(shard, JSON.stringify(byMember(room.id, ann.id, 'ann-2', 'two')));
  await queue.append(shardOf(attic.id, SHARDS), JSON.stringify(byMember(attic.id, ann.id, 'ann-attic', 'archived')));
  backend.start();

  expect((await replyTo('bob-1')).error).toEqual({ code: 'NOT_FOUND', message: 'flow not found' });
  expect((await replyTo('ann-attic')).error).toEqual({ code: 'FORBIDDEN', message: 'the flow is archived' });
  expect((await replyTo('ann-1')).message?.id).toBe(1);
  expect((await replyTo('ann-1')).posterChecked).toBe(true);
  expect((await replyTo('source-1')).message?.id).toBe(2);
  expect((await replyTo('source-1')).posterChecked).toBeUndefined();
  expect((await replyTo('ann-2')).message?.id).toBe(3);
  expect((await store.list(room.id, { limit: 10 })).map((m) => m.content)).toEqual(['one', 'a source, not a member', 'two']);
  expect(await store.lastId(attic.id)).toBe(0);
  expect((await metrics.persistRefusedPosts.get()).values[0]?.value).toBe(2);
  expect(await queue.deadLetterCount()).toBe(0);
  await stop();
});

test('a post stored before its member lost access, queued again (a crash before its reply, a retry), is answered and published with the stored message', async () => {
  const { queue, bus, replies, replyTo, backend, stop } = setup();
  const { directory, flows, user: cal } = await memberOf('Replays', ['Room'], 'cal@example.com');
  const [flow] = flows as [Flow];
  const mine = byMember(flow.id, cal.id, 'cal-1', 'stored before the block');
  const published: number[] = [];
  const sub = await bus.subscribe(flowChannel(flow.id), (payload) => published.push(JSON.parse(payload.toString()).id));
  backend.start();
  try {
    await queue.append(shardOf(flow.id, SHARDS), JSON.stringify(mine));
    expect((await replyTo('cal-1')).message?.id).toBe(1);
    await directory.setFlowMemberDisabled(flow.id, cal.id, true);
    replies.length = 0;
    await queue.append(shardOf(flow.id, SHARDS), JSON.stringify(mine));
    expect(await replyTo('cal-1')).toMatchObject({ message: { id: 1 }, replayed: true });
    await waitFor(() => published.length === 2, 'the stored message published again');
    expect(published).toEqual([1, 1]);
  } finally {
    await sub.unsubscribe();
    await stop();
  }
});
