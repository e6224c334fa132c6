/** The behaviours every MessageStore engine must have: one jest suite, run by each engine's test file. */
import { FencedOffError, StoreConflictError } from '../errors';
import type { MessageStore } from '../ports/message-store';
import { UNLEASED, batch, freshConversation as fresh, ids, insert, message, messages, thread } from './message-store.fixtures';

/** What an engine's test file hands the contract: a prepared store and a way to set lease tokens. */
export interface MessageStoreHarness {
  store: MessageStore;
  /** Makes `token` the current fencing token of `shard` (as the shard lease would). */
  setLeaseToken(shard: number, token: number): Promise<void>;
  teardown(): Promise<void>;
}

/**
 * Registers the contract suite. `make` runs once for the suite; every test works in a
 * conversation (and shard) of its own, so tests never see each other's data.
 */
export function messageStoreContract(name: string, make: () => Promise<MessageStoreHarness>): void {
  describe(`MessageStore contract: ${name}`, () => {
    let h: MessageStoreHarness;
    let store: MessageStore;

    beforeAll(async () => {
      h = await make();
      store = h.store;
      await store.prepare(); // must be safe to repeat
    });
    afterAll(async () => {
      await h?.teardown();
    });

    it('round-trips the exact message JSON', async () => {
      const c = fresh();
      const m = message(1, {
        event: 'comment',
        content: { title: 'Parent', text: 'Plus one' },
        tags: ['influx:40', 'Mixed'],
        thread_id: 'T1',
        thread: thread('T1', 1),
        attachments: [{ file_name: 'a.png', size: 3 }],
        external_user_name: 'anon',
        _application: { name: 'x', nested: [1, null, 'y'] },
      });
      await insert(store, c, m);
      expect(await store.get(c, 1)).toEqual(m);
      expect(await store.get(c, 2)).toBeNull();
    });

    it('reports the highest id, 0 when empty', async () => {
      const c = fresh();
      expect(await store.lastId(c)).toBe(0);
      await insert(store, c, message(1), message(2), message(5));
      expect(await store.lastId(c)).toBe(5);
    });

    it('finds messages by uuid', async () => {
      const c = fresh();
      await insert(store, c, ...messages(1, 3));
      expect(ids(await store.findByUuids(c, ['uuid-3', 'uuid-1', 'nope']))).toEqual([1, 3]);
      expect(await store.findByUuids(c, [])).toEqual([]);
    });

    it('refuses a taken id and writes nothing of that batch', async () => {
      const c = fresh();
      await insert(store, c, message(1));
      const bad = batch(c, { inserts: [message(2), message(1, { uuid: 'other' })], threads: [thread('T', 1)] });
      await expect(store.writeBatch(bad, UNLEASED)).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.get(c, 2)).toBeNull();
      expect(await store.getThread(c, 'T')).toBeNull();
      expect(await store.get(c, 1)).toEqual(message(1));
    });

    it('refuses a taken uuid and writes nothing of that batch', async () => {
      const c = fresh();
      await insert(store, c, message(1));
      const bad = batch(c, { inserts: [message(2), message(3, { uuid: 'uuid-1' })] });
      await expect(store.writeBatch(bad, UNLEASED)).rejects.toBeInstanceOf(StoreConflictError);
      expect(ids(await store.listAfter(c, 0, 10))).toEqual([1]);
    });

    it('refuses duplicates within one batch', async () => {
      const c = fresh();
      await expect(insert(store, c, message(1), message(2, { uuid: 'uuid-1' }))).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.lastId(c)).toBe(0);
    });

    it('replaces messages on update, index fields included', async () => {
      const c = fresh();
      await insert(store, c, message(1, { tags: ['old'] }), message(2));
      const edited = message(1, { content: 'Rewritten words', tags: ['New'], edited: 123 });
      await store.writeBatch(batch(c, { updates: [edited] }), UNLEASED);
      expect(await store.get(c, 1)).toEqual(edited);
      expect(ids(await store.list(c, { limit: 10, tags: ['new'] }))).toEqual([1]);
      expect(await store.list(c, { limit: 10, tags: ['old'] })).toEqual([]);
      expect(ids(await store.list(c, { limit: 10, search: ['rewritten'] }))).toEqual([1]);
    });

    it('applies an update of a message inserted in the same batch, and the last of repeated ones', async () => {
      const c = fresh();
      await insert(store, c, message(1));
      const b = batch(c, {
        inserts: [message(2)],
        updates: [message(2, { content: 'edited' }), message(1, { content: 'a' }), message(1, { content: 'b' })],
      });
      await store.writeBatch(b, UNLEASED);
      expect((await store.get(c, 2))?.content).toBe('edited');
      expect((await store.get(c, 1))?.content).toBe('b');
    });

    it('upserts threads and lists them by update time', async () => {
      const c = fresh();
      await store.writeBatch(batch(c, { threads: [thread('A', 1), thread('B', 3), thread('C', 2)] }), UNLEASED);
      const newA = thread('A', 4, { title: 'Renamed', status: { value: 'ok', color: 'green' } });
      await store.writeBatch(batch(c, { threads: [thread('C', 5), newA] }), UNLEASED);
      expect(await store.getThread(c, 'A')).toEqual(newA);
      expect(await store.getThread(c, 'Z')).toBeNull();
      const list = (q: { until?: string; since?: string; limit?: number }) =>
        store.listThreads(c, { limit: 10, ...q }).then((ts) => ts.map((t) => t.id));
      expect(await list({})).toEqual(['C', 'A', 'B']);
      expect(await list({ limit: 2 })).toEqual(['C', 'A']);
      expect(await list({ until: thread('x', 4).updated_at })).toEqual(['B']);
      expect(await list({ since: thread('x', 3).updated_at })).toEqual(['C', 'A']);
      expect(await list({ since: thread('x', 3).updated_at, until: thread('x', 5).updated_at })).toEqual(['A']);
    });

    describe('list', () => {
      const c = fresh();
      beforeAll(async () => {
        await insert(store, c, ...messages(1, 10));
      });

      it('picks the newest by default and returns them ascending', async () => {
        expect(ids(await store.list(c, { limit: 3 }))).toEqual([8, 9, 10]);
        expect(ids(await store.list(c, { limit: 3, sort: 'desc' }))).toEqual([8, 9, 10]);
        expect(ids(await store.list(c, { limit: 100 }))).toEqual(ids(messages(1, 10)));
      });

      it('picks the oldest with sort asc', async () => {
        expect(ids(await store.list(c, { limit: 3, sort: 'asc' }))).toEqual([1, 2, 3]);
      });

      it('bounds by since/until exclusively', async () => {
        expect(ids(await store.list(c, { limit: 10, sinceId: 3, untilId: 7 }))).toEqual([4, 5, 6]);
        expect(ids(await store.list(c, { limit: 2, untilId: 7 }))).toEqual([5, 6]);
        expect(ids(await store.list(c, { limit: 2, sinceId: 7, sort: 'asc' }))).toEqual([8, 9]);
      });

      it('skips in picking order', async () => {
        expect(ids(await store.list(c, { limit: 2, skip: 1 }))).toEqual([8, 9]);
        expect(ids(await store.list(c, { limit: 2, skip: 1, sort: 'asc' }))).toEqual([2, 3]);
      });
    });

    it('filters by events and by thread', async () => {
      const c = fresh();
      await insert(
        store,
        c,
        message(1),
        message(2, { event: 'status' }),
        message(3, { event: 'comment', content: { title: 't', text: 'x' }, thread_id: 'T' }),
        message(4, { thread_id: 'T' }),
        message(5, { thread_id: 'U' }),
      );
      expect(ids(await store.list(c, { limit: 10, events: ['status', 'comment'] }))).toEqual([2, 3]);
      expect(ids(await store.list(c, { limit: 10, threadId: 'T' }))).toEqual([3, 4]);
      expect(ids(await store.list(c, { limit: 1, threadId: 'T' }))).toEqual([4]);
    });

    it('leaves out one user\'s messages before picking the newest', async () => {
      const c = fresh();
      await insert(store, c, message(1, { user: '2' }), message(2), message(3, { user: '2' }), message(4), message(5));
      expect(ids(await store.list(c, { limit: 2, notByUser: '1' }))).toEqual([1, 3]);
      expect(ids(await store.list(c, { limit: 10, notByUser: '2' }))).toEqual([2, 4, 5]);
    });

    it('filters by tags, and/or, case-insensitively, and counts tagged messages', async () => {
      const c = fresh();
      await insert(
        store,
        c,
        message(1, { tags: ['Bug', '@Alice'] }),
        message(2, { tags: ['bug'] }),
        message(3, { tags: ['feature', '@alice'] }),
        message(4),
      );
      expect(ids(await store.list(c, { limit: 10, tags: ['BUG'] }))).toEqual([1, 2]);
      expect(ids(await store.list(c, { limit: 10, tags: ['bug', '@alice'] }))).toEqual([1]);
      expect(ids(await store.list(c, { limit: 10, tags: ['bug', '@alice'], tagMode: 'or' }))).toEqual([1, 2, 3]);
      expect(await store.countTagged(c, '@ALICE')).toBe(2);
      expect(await store.countTagged(c, 'none')).toBe(0);
    });

    it('searches all keywords case-insensitively, in comments and integration text too', async () => {
      const c = fresh();
      await insert(
        store,
        c,
        message(1, { content: 'Deploy the Server today' }),
        message(2, { content: 'server down' }),
        message(3, { event: 'comment', content: { title: 'Release', text: 'Deploy went FINE' } }),
        message(4, { event: 'activity', content: null, title: 'Build <b>failed</b>', body: '<p>Deploy &amp; pray</p>' }),
        message(5, { content: 'coverage 1000 a_b' }),
      );
      const search = (...words: string[]) => store.list(c, { limit: 10, search: words }).then(ids);
      expect(await search('DEPLOY')).toEqual([1, 3, 4]);
      expect(await search('deploy', 'server')).toEqual([1]);
      expect(await search('fine')).toEqual([3]);
      expect(await search('failed', 'pray')).toEqual([4]);
      expect(await search('&')).toEqual([4]);
      expect(await search('100%')).toEqual([]);
      expect(await search('a_b')).toEqual([5]);
      expect(await search('a%b')).toEqual([]);
      expect(await search('.*')).toEqual([]);
      expect(ids(await store.list(c, { limit: 1, skip: 1, search: ['deploy'] }))).toEqual([3]);
    });

    it('lists after an id for resume backfill', async () => {
      const c = fresh();
      await insert(store, c, ...messages(1, 6));
      expect(ids(await store.listAfter(c, 2, 3))).toEqual([3, 4, 5]);
      expect(ids(await store.listAfter(c, 6, 3))).toEqual([]);
    });

    it('refuses a batch under a stale fencing token and writes nothing of it', async () => {
      const c = fresh();
      const shard = 4242;
      await h.setLeaseToken(shard, 5);
      const b = batch(c, { inserts: [message(1)], threads: [thread('T', 1)] });
      await expect(store.writeBatch(b, { shard, token: 4 })).rejects.toBeInstanceOf(FencedOffError);
      expect(await store.lastId(c)).toBe(0);
      expect(await store.getThread(c, 'T')).toBeNull();
      await store.writeBatch(b, { shard, token: 5 });
      expect(await store.lastId(c)).toBe(1);
      await h.setLeaseToken(shard, 6);
      await expect(store.writeBatch(batch(c, { updates: [message(1, { content: 'late' })] }), { shard, token: 5 })).rejects.toBeInstanceOf(
        FencedOffError,
      );
      expect(await store.get(c, 1)).toEqual(message(1));
    });

    it('keeps conversations apart, private ones included', async () => {
      const a = fresh();
      const p = `private:${Date.now()}:${Date.now() + 1}`;
      const pm = message(1, { flow: undefined, to: '2', tags: ['x'] });
      await insert(store, a, message(1, { tags: ['x'] }), message(2));
      await insert(store, p, pm);
      expect(await store.get(p, 1)).toEqual(pm);
      expect(await store.lastId(p)).toBe(1);
      expect(ids(await store.list(p, { limit: 10 }))).toEqual([1]);
      expect(await store.countTagged(p, 'x')).toBe(1);
      expect(ids(await store.findByUuids(a, ['uuid-1', 'uuid-2']))).toEqual([1, 2]);
      expect(await store.lastId(a)).toBe(2);
    });
  });
}
