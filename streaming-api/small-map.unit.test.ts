import { SmallMap } from './small-map';

/** The same operations on a SmallMap and a Map must leave the same entries, in the same order. */
function same(ops: [op: 'set' | 'delete', key: string, value?: number][]): void {
  const small = new SmallMap<number>();
  const map = new Map<string, number>();
  for (const [op, key, value] of ops) {
    if (op === 'set') {
      small.set(key, value!);
      map.set(key, value!);
    } else expect(small.delete(key)).toBe(map.delete(key));
    expect([...small.entries()]).toEqual([...map.entries()]);
    expect(small.size).toBe(map.size);
    expect([...small.keys()]).toEqual([...map.keys()]);
    for (const k of ['a', 'b', 'k3', 'k9', 'zz']) {
      expect(small.get(k)).toBe(map.get(k));
      expect(small.has(k)).toBe(map.has(k));
    }
  }
}

test('behaves as a Map while small: set, overwrite, delete, order', () => {
  same([['set', 'a', 1], ['set', 'b', 2], ['set', 'a', 3], ['delete', 'a'], ['delete', 'zz'], ['set', 'a', 4], ['delete', 'b']]);
});

test('behaves as a Map past the flat bound and after it, deletes included', () => {
  const ops: [op: 'set' | 'delete', key: string, value?: number][] = [];
  for (let i = 0; i < 12; i++) ops.push(['set', `k${i}`, i]);
  ops.push(['delete', 'k3'], ['set', 'k3', 33], ['set', 'k9', 99], ['delete', 'k0']);
  same(ops);
});

test('clear empties it, whichever form it had', () => {
  const small = new SmallMap<number>();
  for (let i = 0; i < 10; i++) small.set(`k${i}`, i);
  small.clear();
  expect(small.size).toBe(0);
  small.set('a', 1);
  expect([...small.entries()]).toEqual([['a', 1]]);
});
