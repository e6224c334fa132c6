import type { FlowAccess } from '../ports/directory';
import { PostAccessCache } from './post-access-cache';

const access = (id: string) => ({ flow: { id } }) as unknown as FlowAccess;

describe('PostAccessCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('answers a reference only as it was asked, for the member who asked it', () => {
    const cache = new PostAccessCache({ now: clock });
    cache.remember(1, { org: 'acme', flow: 'main' }, access('f1'));
    expect(cache.get(1, { org: 'acme', flow: 'main' })?.flow.id).toBe('f1');
    expect(cache.get(2, { org: 'acme', flow: 'main' })).toBeUndefined();
    expect(cache.get(1, { id: 'f1' })).toBeUndefined();
    expect(cache.get(1, { ref: 'acme/main' })).toBeUndefined();
    // The parts are kept apart: "a\0b" / "c" is not "a" / "b\0c".
    cache.remember(1, { org: 'a', flow: 'b\u0000c' }, access('f2'));
    expect(cache.get(1, { org: 'a\u0000b', flow: 'c' })).toBeUndefined();
  });

  it('forgets an answer when its time is up, or when told to', () => {
    const cache = new PostAccessCache({ now: clock, ttlMs: 100 });
    cache.remember(1, { id: 'f1' }, access('f1'));
    cache.remember(1, { id: 'f2' }, access('f2'));
    now += 99;
    expect(cache.get(1, { id: 'f1' })).toBeDefined();
    cache.forget(1, { id: 'f1' });
    expect(cache.get(1, { id: 'f1' })).toBeUndefined();
    now += 1;
    expect(cache.get(1, { id: 'f2' })).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the oldest stored first, and drops expired ones as it stores', () => {
    const cache = new PostAccessCache({ now: clock, ttlMs: 100, maxEntries: 3 });
    for (const id of ['a', 'b', 'c']) cache.remember(1, { id }, access(id));
    cache.remember(1, { id: 'a' }, access('a')); // stored again: now the newest
    cache.remember(1, { id: 'd' }, access('d'));
    expect(['a', 'b', 'c', 'd'].map((id) => cache.get(1, { id }) !== undefined)).toEqual([true, false, true, true]);
    now += 100;
    cache.remember(2, { id: 'e' }, access('e'));
    expect(cache.size).toBe(1);
  });
});
