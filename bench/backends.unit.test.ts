import { shareOf } from './backends';

/** The shards each of `count` backends is started to take, in start order. */
const shares = (count: number, shards: number) => Array.from({ length: count }, (_, i) => shareOf(i, count, shards));

describe('shareOf', () => {
  it.each([
    [1, 1], [1, 4], [2, 4], [2, 8], [3, 8], [3, 16], [4, 4], [5, 16], [7, 8],
  ])('gives each of %i backends over %i shards a contiguous share, together every shard exactly once', (count, shards) => {
    const all = shares(count, shards);
    expect(all[0]!.begin).toBe(0);
    expect(all.at(-1)!.end).toBe(shards);
    for (let i = 1; i < count; i++) expect(all[i]!.begin).toBe(all[i - 1]!.end);
    // No backend without a shard (it would only wait), and the split as even as integers allow.
    const sizes = all.map(({ begin, end }) => end - begin);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('gives the last backend the full SHARDS, as the edges have it', () => {
    expect(shareOf(1, 2, 8)).toEqual({ begin: 4, end: 8 });
    expect(shareOf(0, 2, 8)).toEqual({ begin: 0, end: 4 });
  });
});
