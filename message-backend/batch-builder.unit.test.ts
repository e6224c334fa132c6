/** BatchBuilder on the in-process store: numbering, retries by uuid, edits, deletions, tag changes, threads, fencing. */
import { type MessageJson, privateConversation } from '../core/domain/types';
import { FencedOffError, StoreConflictError } from '../core/errors';
import { InProcessMessageStore } from '../core/in-process/in-process-message-store';
import { InProcessLeaseTable, InProcessShardLeases } from '../core/in-process/in-process-shard-leases';
import type { DeleteCommand, EditCommand, MessageDraft, PostCommand, QueueCommand } from '../core/messaging/commands';
import type { Fence } from '../core/ports/message-store';
import { BatchBuilder, type Outcome } from './batch-builder';
import { Sequencer } from './sequencer';

const NOW = new Date('2026-01-02T03:04:05.000Z');
const FENCE: Fence = { shard: 0, token: 1 };
const FLOW = 'flow-1';

function post(uuid: string, content: unknown, over: Partial<MessageDraft> = {}, conversation = FLOW): PostCommand {
  const user = over.user ?? '1';
  return {
    kind: 'post', conversation, uuid, actor: user, replyTo: 'reply:edge',
    draft: { uuid, event: 'message', content, tags: [], user, flow: conversation, sent: 1, app: 'chat', attachments: [], ...over },
  };
}

const edit = (uuid: string, target: number, change: { content?: string; tags?: string[] }, conversation = FLOW, actor = '1'): EditCommand => ({
  kind: 'edit', conversation, uuid, actor, replyTo: 'reply:edge', target, ...change,
});

const remove = (uuid: string, target: number, conversation = FLOW, actor = '1'): DeleteCommand => ({
  kind: 'delete', conversation, uuid, actor, replyTo: 'reply:edge', target,
});

let store: InProcessMessageStore;
let sequencer: Sequencer;
beforeEach(() => {
  store = new InProcessMessageStore();
  sequencer = new Sequencer(store);
});

/** What the shard batch writer does with an outcome: write it under the fence, then commit the ids. */
async function run(commands: QueueCommand[], fence = FENCE): Promise<Outcome> {
  const outcome = await new BatchBuilder(store, sequencer, () => NOW).build(commands);
  await store.writeBatch(outcome.batch, fence);
  for (const [conversation, lastId] of outcome.lastIds) sequencer.commit(conversation, lastId);
  return outcome;
}

const replied = (o: Outcome): (MessageJson | string | undefined)[] => o.replies.map((r) => r.reply.error?.code ?? r.reply.message);
const eventIds = (o: Outcome): number[] => o.events.map((m) => m.id);

describe('posts', () => {
  it('numbers each conversation from its last stored id, in queue order, and answers each command', async () => {
    await run([post('a', 'one'), post('b', 'two', {}, 'flow-2')]);
    const o = await run([post('c', 'three'), post('d', 'four', {}, 'flow-2'), post('e', 'five')]);
    expect(o.batch.inserts.map((i) => [i.conversation, i.message.id, i.message.uuid])).toEqual([
      [FLOW, 2, 'c'], ['flow-2', 2, 'd'], [FLOW, 3, 'e'],
    ]);
    expect(eventIds(o)).toEqual([2, 2, 3]);
    expect(o.replies.map((r) => [r.channel, r.reply.uuid, r.reply.message?.id])).toEqual([['reply:edge', 'c', 2], ['reply:edge', 'd', 2], ['reply:edge', 'e', 3]]);
    expect(o.lastIds).toEqual(new Map([[FLOW, 3], ['flow-2', 2]]));
    expect(await store.get(FLOW, 3)).toMatchObject({ content: 'five', created_at: NOW.toISOString(), edited: null });
  });

  it('answers a retried uuid with the stored message, publishes it again, and stores nothing new', async () => {
    const first = await run([post('a', 'hello')]);
    const o = await run([post('a', 'hello'), post('b', 'next')]);
    expect(o.batch.inserts.map((i) => i.message.uuid)).toEqual(['b']);
    expect(o.replies[0]!.reply.message).toEqual(first.replies[0]!.reply.message);
    expect(eventIds(o)).toEqual([1, 2]);
    // The edge answers the retry `Idempotent-Replayed: true` from this flag; it no longer looks the uuid up itself.
    expect([first.replies[0]!.reply.replayed, ...o.replies.map((r) => r.reply.replayed)]).toEqual([undefined, true, undefined]);
  });

  it('stores a uuid sent twice in one batch once, and answers both with it', async () => {
    const o = await run([post('a', 'hello'), post('a', 'hello again')]);
    expect(o.batch.inserts).toHaveLength(1);
    expect(replied(o)).toEqual([o.batch.inserts[0]!.message, o.batch.inserts[0]!.message]);
    expect(o.replies.map((r) => r.reply.replayed)).toEqual([undefined, true]);
  });

  it("answers CONFLICT when another sender's message has the uuid, in the store or in the batch, and never hands it over", async () => {
    await run([post('taken', 'mine', { user: '1' })]);
    const o = await run([post('taken', 'theirs', { user: '2' }), post('fresh', 'x', { user: '1' }), post('fresh', 'y', { user: '3' })]);
    expect(replied(o)).toEqual(['CONFLICT', expect.objectContaining({ uuid: 'fresh', user: '1' }), 'CONFLICT']);
    expect(o.replies.map((r) => r.reply.actor)).toEqual(['2', '1', '3']);
    expect(o.batch.inserts.map((i) => i.message.content)).toEqual(['x']);
    expect((await store.get(FLOW, 1))?.content).toBe('mine');
  });
});

describe('conflicts and fencing', () => {
  it('renumbers after a write refused for a taken id: the next build starts from what the store holds', async () => {
    await run([post('a', 'one')]); // this worker's sequencer now caches last id 1
    // Another worker numbered and stored id 2 meanwhile (before this one noticed it lost the shard).
    const other = await new BatchBuilder(store, new Sequencer(store), () => NOW).build([post('x', 'theirs')]);
    await store.writeBatch(other.batch, FENCE);
    const refused = await new BatchBuilder(store, sequencer, () => NOW).build([post('b', 'two')]);
    expect(refused.batch.inserts[0]!.message.id).toBe(2);
    await expect(store.writeBatch(refused.batch, FENCE)).rejects.toBeInstanceOf(StoreConflictError);
    sequencer.clear(); // what the batch writer does when a write fails
    const retried = await run([post('b', 'two')]);
    expect(retried.batch.inserts[0]!.message.id).toBe(3);
    expect((await store.listAfter(FLOW, 0, 10)).map((m) => [m.id, m.uuid])).toEqual([[1, 'a'], [2, 'x'], [3, 'b']]);
  });

  it("refuses a batch under a lost lease's token and stores none of it", async () => {
    const table = new InProcessLeaseTable();
    store = new InProcessMessageStore({ leaseToken: (shard) => table.token(shard) });
    sequencer = new Sequencer(store);
    const [old, next] = [new InProcessShardLeases(table), new InProcessShardLeases(table)];
    const stale = (await old.tryAcquire(0))!;
    await run([post('a', 'first')], stale);
    old.loseAll();
    const current = (await next.tryAcquire(0))!;
    const o = await new BatchBuilder(store, sequencer, () => NOW).build([post('b', 'late'), edit('e', 1, { content: 'late edit' })]);
    await expect(store.writeBatch(o.batch, stale)).rejects.toBeInstanceOf(FencedOffError);
    expect((await store.listAfter(FLOW, 0, 10)).map((m) => [m.uuid, m.content])).toEqual([['a', 'first']]);
    await store.writeBatch(o.batch, current);
    expect((await store.get(FLOW, 1))?.content).toBe('late edit');
  });
});

describe('edits, deletions and tag changes', () => {
  it('edits a stored message in place and adds a numbered message-edit event', async () => {
    await run([post('a', 'typo')]);
    const o = await run([edit('e1', 1, { content: 'fixed' })]);
    expect(o.batch.updates.map((u) => u.message)).toEqual([expect.objectContaining({ id: 1, content: 'fixed', edited: NOW.getTime() })]);
    expect(o.events).toEqual([
      expect.objectContaining({ id: 2, uuid: 'e1', event: 'message-edit', user: '1', flow: FLOW, content: { message: 1, updated_content: 'fixed' } }),
    ]);
    expect(replied(o)).toEqual([o.events[0]]);
  });

  it('edits only the text of a comment, and a message posted in the same batch inside its insert', async () => {
    await run([post('c', { title: 'Parent', text: 'old' }, { event: 'comment', thread_id: 'T' })]);
    const o = await run([edit('e1', 1, { content: 'new' }), post('p', 'draft'), edit('e2', 3, { content: 'final' })]);
    expect(o.batch.updates.map((u) => u.message.content)).toEqual([{ title: 'Parent', text: 'new' }]);
    expect(o.batch.inserts.map((i) => [i.message.id, i.message.content])).toEqual([[2, { message: 1, updated_content: { title: 'Parent', text: 'new' } }], [3, 'final'], [4, { message: 3, updated_content: 'final' }]]);
  });

  it('changes tags with a tag-change event listing what was added and removed, whatever the case', async () => {
    await run([post('a', 'tagged', { tags: ['Keep', 'drop'] })]);
    const o = await run([edit('t1', 1, { tags: ['keep', 'New'] })]);
    expect(o.batch.updates[0]!.message.tags).toEqual(['keep', 'New']);
    expect(o.events).toEqual([expect.objectContaining({ id: 2, uuid: 't1', event: 'tag-change', content: { message: 1, add: ['New'], remove: ['drop'] } })]);
  });

  it('answers an edit of text and tags with two events, and its retry with the same last one', async () => {
    await run([post('a', 'both', { tags: ['x'] })]);
    const o = await run([edit('e', 1, { content: 'changed', tags: ['y'] })]);
    expect(o.events.map((m) => [m.id, m.uuid, m.event])).toEqual([[2, 'e', 'message-edit'], [3, 'e:tags', 'tag-change']]);
    expect(o.batch.updates.map((u) => [u.message.content, u.message.tags])).toEqual([['changed', ['y']]]);
    const retry = await run([edit('e', 1, { content: 'changed', tags: ['y'] })]);
    expect(retry.batch.inserts).toEqual([]);
    expect(retry.replies[0]!.reply.message?.id).toBe(3);
  });

  it('deletes by emptying the content, with a message-edit event marked deleted; a retry adds nothing', async () => {
    await run([post('a', 'secret')]);
    const o = await run([remove('d1', 1)]);
    expect(o.batch.updates[0]!.message).toMatchObject({ id: 1, content: '', edited: NOW.getTime() });
    expect(o.events).toEqual([expect.objectContaining({ id: 2, event: 'message-edit', content: { message: 1, updated_content: '', deleted: true } })]);
    const retry = await run([remove('d1', 1)]);
    expect(retry.batch.inserts).toEqual([]);
    expect(retry.replies[0]!.reply.message?.id).toBe(2);
  });

  it('addresses the event of a private message to the other participant', async () => {
    const pm = privateConversation(7, 3);
    await run([post('a', 'psst', { user: '7', flow: undefined, to: '3' }, pm)]);
    const o = await run([remove('d', 1, pm, '7')]);
    expect(o.events[0]).toMatchObject({ user: '7', to: '3' });
    expect(o.events[0]).not.toHaveProperty('flow');
  });

  it('answers NOT_FOUND for an edit or deletion of a message that does not exist', async () => {
    const o = await run([edit('e', 42, { content: 'x' }), remove('d', 43)]);
    expect(replied(o)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(o.batch).toEqual({ inserts: [], updates: [], threads: [] });
  });
});

describe('threads', () => {
  it('starts a thread with a chat message, counts the comments that join it, and stores its state', async () => {
    const first = await run([post('root', 'Release 1.2 planning')]);
    const root = first.events[0]!;
    expect(root.thread).toMatchObject({ id: root.thread_id, title: 'Release 1.2 planning', initial_message: 1, internal_comments: 0, flow: FLOW });
    const o = await run([
      post('c1', { title: 'x', text: 'first' }, { event: 'comment', thread_id: root.thread_id }),
      post('c2', { title: 'x', text: 'second' }, { event: 'comment', thread_id: root.thread_id }),
      post('act', null, { event: 'activity', thread_id: root.thread_id, title: 'Build passed' }),
    ]);
    expect(o.events.map((m) => m.thread?.internal_comments)).toEqual([1, 2, 2]);
    expect(o.batch.threads).toEqual([{ conversation: FLOW, thread: expect.objectContaining({ id: root.thread_id, internal_comments: 2, activities: 1, initial_message: 1 }) }]);
    expect(await store.getThread(FLOW, root.thread_id!)).toEqual(o.batch.threads[0]!.thread);
  });

  it('leaves a status update out of any thread, and starts an integration thread from the thread fields given', async () => {
    const o = await run([post('s', 'away', { event: 'status' }), post('i', null, { event: 'activity', thread_id: 'ext-1', thread: { title: 'Ticket #1' } })]);
    expect(o.events[0]).not.toHaveProperty('thread_id');
    expect(o.events[1]!.thread).toMatchObject({ id: 'ext-1', title: 'Ticket #1', activities: 1, initial_message: 2 });
  });
});
