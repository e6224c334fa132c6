/** The MongoDB engine's query building, checked without a server (none can run on CI). */
import { buildMessageFind, buildThreadFind, escapeRegex } from './message-filter';

describe('buildMessageFind', () => {
  it('defaults to the newest messages of the conversation', () => {
    expect(buildMessageFind('f1', { limit: 30 })).toEqual({
      filter: { conversation: 'f1' },
      sort: { id: -1 },
      skip: 0,
      limit: 30,
      descending: true,
    });
  });

  it('builds every filter from a full query', () => {
    const plan = buildMessageFind('private:1:2', {
      limit: 5,
      sort: 'asc',
      events: ['message', 'comment'],
      sinceId: 3,
      untilId: 9,
      tags: ['Bug', '@Alice', 'bug'],
      search: [' Deploy ', '1+1?', ''],
      skip: 2,
      threadId: 'T',
      notByUser: '7',
    });
    expect(plan).toEqual({
      filter: {
        conversation: 'private:1:2',
        event: { $in: ['message', 'comment'] },
        id: { $gt: 3, $lt: 9 },
        thread_id: 'T',
        'doc.user': { $ne: '7' },
        tags_lc: { $all: ['bug', '@alice'] },
        $and: [{ search_text: { $regex: 'deploy' } }, { search_text: { $regex: '1\\+1\\?' } }],
      },
      sort: { id: 1 },
      skip: 2,
      limit: 5,
      descending: false,
    });
  });

  it('uses $in for tag mode or, and ignores empty lists', () => {
    const plan = buildMessageFind('f', { limit: 1, tags: ['A', 'b'], tagMode: 'or', events: [], search: [] });
    expect(plan.filter).toEqual({ conversation: 'f', tags_lc: { $in: ['a', 'b'] } });
  });

  it('sets one id bound alone', () => {
    expect(buildMessageFind('f', { limit: 1, untilId: 4 }).filter).toEqual({ conversation: 'f', id: { $lt: 4 } });
  });
});

describe('escapeRegex', () => {
  it('makes every metacharacter literal', () => {
    const text = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o';
    expect(new RegExp(escapeRegex(text)).test(text)).toBe(true);
    expect(new RegExp(escapeRegex('a.b')).test('axb')).toBe(false);
  });
});

describe('buildThreadFind', () => {
  it('bounds by update time, newest first', () => {
    const plan = buildThreadFind('f', { limit: 10, until: '2024-01-02T00:00:00.000Z', since: '2024-01-01T00:00:00.000Z' });
    expect(plan).toEqual({
      filter: {
        conversation: 'f',
        updated_at: { $lt: new Date('2024-01-02T00:00:00.000Z'), $gt: new Date('2024-01-01T00:00:00.000Z') },
      },
      sort: { updated_at: -1, id: -1 },
      skip: 0,
      limit: 10,
    });
  });
});
