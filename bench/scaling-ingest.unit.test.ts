import { layoutsOf } from './scaling-ingest';

describe('layoutsOf', () => {
  it('pairs every shard count with every backend count, by backends then shards', () => {
    expect(layoutsOf([4, 8], [1, 2])).toEqual([
      { shards: 4, backends: 1 }, { shards: 8, backends: 1 }, { shards: 4, backends: 2 }, { shards: 8, backends: 2 },
    ]);
  });

  it('leaves out layouts with fewer shards than backends: a backend without a shard only waits', () => {
    expect(layoutsOf([1, 4, 8], [1, 2])).toEqual([
      { shards: 1, backends: 1 }, { shards: 4, backends: 1 }, { shards: 8, backends: 1 }, { shards: 4, backends: 2 }, { shards: 8, backends: 2 },
    ]);
    expect(layoutsOf([2], [3])).toEqual([]);
  });
});
