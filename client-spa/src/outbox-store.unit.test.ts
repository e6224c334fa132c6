/** The outbox kept across a reload: per user, only well-formed posts, removed once empty. */
import type { OutgoingPost } from './outbox';
import { loadOutbox, saveOutbox } from './outbox-store';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

const post: OutgoingPost = { uuid: 'u1', key: 'f', base: '/flows/acme/main', text: 'hi', sent: 5, threadId: 't1' };

it('gives back what was saved, to the same user only, and forgets it once nothing waits', () => {
  const storage = new MemoryStorage() as unknown as Storage;
  saveOutbox(storage, '1', [post]);
  expect(loadOutbox(storage, '1')).toEqual([post]);
  expect(loadOutbox(storage, '2')).toEqual([]);
  saveOutbox(storage, '1', []);
  expect((storage as unknown as MemoryStorage).items.size).toBe(0);
});

it('drops what it cannot read rather than sending it', () => {
  const storage = new MemoryStorage() as unknown as Storage;
  storage.setItem('tributary.outbox.1', JSON.stringify([post, { uuid: 'u2', text: 3 }, null]));
  expect(loadOutbox(storage, '1')).toEqual([post]);
  storage.setItem('tributary.outbox.1', '{not json');
  expect(loadOutbox(storage, '1')).toEqual([]);
});
