/**
 * Nothing a client sends can stop the write path: unstorable text is a 400 naming the field over REST
 * and WebSocket; entries that reach the queue anyway become dead letters (listed, requeued, dropped
 * by `tributary queue`) while posts to every shard keep succeeding, across a backend restart; and a
 * uuid is its sender's own. Services are web-api, streaming-api and message-backend on real Postgres and Redis.
 */
import { WebSocket } from 'ws';
import { replyChannel } from '../core/messaging/channels';
import type { QueueCommand } from '../core/messaging/commands';
import { shardOf } from '../core/messaging/shards';
import { NUL_PROBLEM, SURROGATE_PROBLEM } from '../core/storable-text';
import { runQueue } from '../cli/queue';
import { type RunningServices, startServices } from '../cli/start';
import { silentLog } from '../core/log';
import { RedisWorkQueue } from '../infra/redis/redis-work-queue';
import { TestWs } from '../streaming-api/testing/stream-test-harness';
import { api, startTestStack, type TestStack } from '../test/support/stack';

const SHARDS = 4; // the test stack's SHARDS
let stack: TestStack;
let backend: RunningServices;
let streaming: RunningServices;
let queue: RedisWorkQueue;
/** A flow path (org/flow) per shard, alice a member of each; index = shard. */
const shardFlows: { id: string; path: string }[] = [];

beforeAll(async () => {
  stack = await startTestStack({ service: 'web-api' });
  backend = await startServices('message-backend', stack.config, silentLog());
  streaming = await startServices('streaming-api', stack.config, silentLog());
  queue = new RedisWorkQueue({ url: stack.config.REDIS_URL!, prefix: stack.config.REDIS_PREFIX });
  for (let i = 0; shardFlows.filter(Boolean).length < SHARDS; i++) {
    const flow = await stack.directory.createFlow(stack.org.id, `Shard ${i}`);
    const shard = shardOf(flow.id, SHARDS);
    if (shardFlows[shard]) continue;
    await stack.directory.addFlowMember(flow.id, stack.alice.id);
    shardFlows[shard] = { id: flow.id, path: `${stack.org.name}/${flow.parameterizedName}` };
  }
}, 30_000);
afterAll(async () => {
  await queue.close();
  await streaming.stop();
  await backend.stop();
  await stack.stop();
});

const post = (path: string, body: unknown, auth = stack.alice.auth) => api(stack, 'POST', `/flows/${path}/messages`, { auth, body });

/** Posts to the flow of every shard, and expects every one stored. */
async function postToEveryShard(label: string): Promise<void> {
  const results = await Promise.all(shardFlows.map((f, shard) => post(f.path, { event: 'message', content: `${label} on shard ${shard}` })));
  expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
}

/** A post command that bypasses the edge, as an edge with a validation bug would write it. */
function poisonCommand(flowId: string, uuid: string): string {
  const command: QueueCommand = {
    kind: 'post', conversation: flowId, uuid, actor: String(stack.alice.id), replyTo: replyChannel('nobody-waits'),
    draft: { uuid, event: 'message', content: 'x\u0000y', tags: [], user: String(stack.alice.id), flow: flowId, sent: Date.now(), app: 'chat', attachments: [] },
  };
  return JSON.stringify(command);
}

async function untilDeadLetters(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await queue.deadLetterCount()) !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} dead letters, have ${await queue.deadLetterCount()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('unstorable text is refused at the edge, naming the field', () => {
  const activity = (over: Record<string, unknown>) => ({
    event: 'activity', title: 'deployed', author: { name: 'CI' }, external_thread_id: 'build-1', thread: { title: 'Build 1' }, ...over,
  });
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['NUL in content', { event: 'message', content: 'x\u0000y' }, 'content', NUL_PROBLEM],
    ['lone surrogate in content', { event: 'message', content: '\ud800' }, 'content', SURROGATE_PROBLEM],
    ['NUL in a tag', { event: 'message', content: 'hi', tags: ['fine', 'x\u0000'] }, 'tags.1', NUL_PROBLEM],
    ['lone surrogate in a comma-separated tag', { event: 'message', content: 'hi', tags: 'fine,\udc00' }, 'tags.1', SURROGATE_PROBLEM],
    ['NUL in external_user_name', { event: 'message', content: 'hi', external_user_name: 'bot\u0000' }, 'external_user_name', NUL_PROBLEM],
    ['NUL in a thread title', activity({ thread: { title: 'Build\u00001' } }), 'thread.title', NUL_PROBLEM],
    ['lone surrogate in an activity title', activity({ title: 'deployed \ud800' }), 'title', SURROGATE_PROBLEM],
    ['NUL in an object key of content', activity({ event: 'discussion', content: { ['k\u0000']: 1 } }), 'content.k\ufffd', NUL_PROBLEM],
  ];

  test.each(cases)('%s: REST answers 400', async (_name, body, field, problem) => {
    const res = await post(stack.flow.path, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: { [field]: [problem] } });
  });

  test('an edit with NUL in its content answers 400', async () => {
    const created = await post(stack.flow.path, { event: 'message', content: 'to edit' });
    expect(created.status).toBe(201);
    const res = await api(stack, 'PUT', `/flows/${stack.flow.path}/messages/${created.body.id}`, { auth: stack.alice.auth, body: { content: 'x\u0000' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ content: [NUL_PROBLEM] });
    const tagged = await api(stack, 'PUT', `/flows/${stack.flow.path}/messages/${created.body.id}`, { auth: stack.alice.auth, body: { tags: ['\ud800'] } });
    expect(tagged.body.errors).toEqual({ 'tags.0': [SURROGATE_PROBLEM] });
  });

  test('a WebSocket post frame answers an error frame naming the field', async () => {
    const client = new TestWs(new WebSocket(`ws://127.0.0.1:${streaming.port}/ws`, { headers: { authorization: stack.alice.auth } }));
    await client.next((f) => f.type === 'hello', 'hello');
    client.send({ type: 'post', ref: 'p1', flow: stack.flow.path, event: 'message', content: 'x\u0000y' });
    client.send({ type: 'post', ref: 'p2', flow: stack.flow.path, event: 'message', content: 'ok', tags: ['\ud800'] });
    expect(await client.next((f) => f.ref === 'p1', 'p1')).toMatchObject({ type: 'error', status: 400, code: 'VALIDATION_FAILED', errors: { content: [NUL_PROBLEM] } });
    expect(await client.next((f) => f.ref === 'p2', 'p2')).toMatchObject({ type: 'error', status: 400, errors: { 'tags.0': [SURROGATE_PROBLEM] } });
    client.send({ type: 'post', ref: 'p3', flow: stack.flow.path, event: 'message', content: 'still fine' });
    expect(await client.next((f) => f.ref === 'p3', 'p3', 10_000)).toMatchObject({ type: 'ack', message: { content: 'still fine' } });
    client.ws.terminate();
  });

  test('after every poison payload, posts to every shard are stored', async () => {
    await postToEveryShard('after poison');
  });
});

describe('entries that reach the queue anyway', () => {
  test('become dead letters while every shard keeps taking posts, before and after a backend restart; requeue and drop work', async () => {
    const before = await queue.deadLetterCount();
    await queue.append(0, poisonCommand(shardFlows[0]!.id, 'poison-live'));
    await postToEveryShard('beside a poison entry');
    await untilDeadLetters(before + 1);

    // Poison left on every shard while no backend runs: the restarted backend reads it first.
    await backend.stop();
    for (const [shard, flow] of shardFlows.entries()) await queue.append(shard, poisonCommand(flow.id, `poison-restart-${shard}`));
    backend = await startServices('message-backend', stack.config, silentLog());
    await postToEveryShard('after a restart');
    await untilDeadLetters(before + 5);

    const listed = await runQueue(queue, 'dead-letters', []);
    const letters = listed.json as { id: string; shard: number; payload: string }[];
    // The live one first; the restart's four in whatever order their shards, written concurrently, set them aside.
    expect(letters[before]!.shard).toBe(0);
    expect(letters.slice(before + 1).map((l) => l.shard).sort()).toEqual([0, 1, 2, 3]);
    expect(listed.text).toContain('uuid="poison-restart-2"');
    expect(listed.text).not.toContain('x\u0000y');

    // Requeued, it is refused again and comes back under a new id; dropped, it is gone.
    const [first] = letters.slice(before);
    expect((await runQueue(queue, 'requeue', [first!.id])).text).toBe(`requeued ${first!.id} onto shard 0`);
    await untilDeadLetters(before + 5);
    const after = (await runQueue(queue, 'dead-letters', [])).json as { id: string; payload: string }[];
    expect(after.map((l) => l.id)).not.toContain(first!.id);
    expect(after.filter((l) => l.payload === first!.payload)).toHaveLength(1);
    for (const l of after) expect((await runQueue(queue, 'drop', [l.id])).json).toEqual({ dropped: l.id });
    expect(await queue.deadLetterCount()).toBe(0);
    await expect(runQueue(queue, 'drop', [first!.id])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await postToEveryShard('after the clean-up');
  }, 30_000);
});

describe('a uuid is its sender’s own', () => {
  test('the same uuid from another member is a 409; the sender’s retry returns the same message', async () => {
    const first = await post(stack.flow.path, { event: 'message', content: 'from alice', uuid: 'shared-uuid' });
    expect(first.status).toBe(201);
    const other = await post(stack.flow.path, { event: 'message', content: 'from bob', uuid: 'shared-uuid' }, stack.bob.auth);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'CONFLICT', errors: { uuid: [expect.stringContaining('another sender')] } });
    const retry = await post(stack.flow.path, { event: 'message', content: 'from alice', uuid: 'shared-uuid' });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
  });

  test('anonymous posts (external_user_name) are told apart by the name: a member posting as "x" cannot take a bot\'s uuid', async () => {
    const squat = await post(stack.flow.path, { event: 'message', content: 'squatting', uuid: 'bot-43', external_user_name: 'x' }, stack.bob.auth);
    expect(squat.status).toBe(201);
    const bot = await post(stack.flow.path, { event: 'message', content: 'real bot message', uuid: 'bot-43', external_user_name: 'deploybot' });
    expect(bot.status).toBe(409);
    const retry = await post(stack.flow.path, { event: 'message', content: 'squatting', uuid: 'bot-43', external_user_name: 'x' }, stack.bob.auth);
    expect(retry.body.id).toBe(squat.body.id);
  });

  test('two senders queue one uuid before either is stored: one is saved, the other answered 409 by the backend', async () => {
    await backend.stop(); // both commands wait in the queue, past the edge's check of the store
    const alice = post(stack.flow.path, { event: 'message', content: 'alice first', uuid: 'race-uuid' });
    await untilQueued(1);
    const bob = post(stack.flow.path, { event: 'message', content: 'bob second', uuid: 'race-uuid' }, stack.bob.auth);
    await untilQueued(2);
    backend = await startServices('message-backend', stack.config, silentLog());
    const [a, b] = await Promise.all([alice, bob]);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ content: 'alice first', user: String(stack.alice.id) });
    expect(b.status).toBe(409);
    expect(b.body.code).toBe('CONFLICT');
  }, 20_000);
});

/** Waits until the shard of the test flow holds `count` entries. */
async function untilQueued(count: number): Promise<void> {
  const shard = shardOf(stack.flow.id, SHARDS);
  const deadline = Date.now() + 5000;
  while ((await queue.depth(shard)) < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} queued entries`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
