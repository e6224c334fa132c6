import { evenlySplit } from './backends';

describe('evenlySplit', () => {
  it('holds when every shard is owned and no backend owns more than one shard above another', () => {
    expect(evenlySplit([4], 4)).toBe(true);
    expect(evenlySplit([2, 2], 4)).toBe(true);
    expect(evenlySplit([3, 3, 2], 8)).toBe(true);
    expect(evenlySplit([2, 3, 3], 8)).toBe(true);
  });

  it('fails while a shard is unowned, a backend owns too many, or a gauge cannot be read', () => {
    expect(evenlySplit([2, 1], 4)).toBe(false);
    expect(evenlySplit([4, 0], 4)).toBe(false);
    expect(evenlySplit([3, 1], 4)).toBe(false);
    expect(evenlySplit([2, null], 4)).toBe(false);
  });
});
