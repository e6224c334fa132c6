/** Sequencer on the in-process store: reads a conversation's last id once, then trusts what the owner commits until cleared. */
import { InProcessMessageStore } from '../core/in-process/in-process-message-store';
import { Sequencer } from './sequencer';

const message = (id: number) => ({
  id, uuid: `u${id}`, event: 'message', content: 'x', tags: [], user: '1', flow: 'f', sent: id, created_at: new Date(id).toISOString(),
  edited: null, app: 'chat', attachments: [],
});

async function storeWith(conversation: string, ...ids: number[]): Promise<InProcessMessageStore> {
  const store = new InProcessMessageStore();
  await store.writeBatch({ inserts: ids.map((id) => ({ conversation, message: message(id) })), updates: [], threads: [] }, { shard: 0, token: 1 });
  return store;
}

describe('Sequencer', () => {
  it("starts a conversation from the store's last id, and an empty one from 0", async () => {
    const sequencer = new Sequencer(await storeWith('a', 1, 2, 7));
    expect(await sequencer.peek('a')).toBe(7);
    expect(await sequencer.peek('empty')).toBe(0);
  });

  it('reads the store once per conversation, then answers what the owner committed', async () => {
    const store = await storeWith('a', 1);
    const sequencer = new Sequencer(store);
    expect(await sequencer.peek('a')).toBe(1);
    // A write the owner did not make is not seen: only the owner numbers its conversations.
    await store.writeBatch({ inserts: [{ conversation: 'a', message: message(2) }], updates: [], threads: [] }, { shard: 0, token: 1 });
    expect(await sequencer.peek('a')).toBe(1);
    sequencer.commit('a', 5);
    expect(await sequencer.peek('a')).toBe(5);
  });

  it('after clear (a failed write, a shard changing hands) reads the store again', async () => {
    const store = await storeWith('a', 1);
    const sequencer = new Sequencer(store);
    sequencer.commit('a', 9); // ids numbered by a batch the store then refused
    sequencer.clear();
    expect(await sequencer.peek('a')).toBe(1);
  });
});
