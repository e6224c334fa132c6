/** deriveTags: an @nick resolves to exactly one member, or to nobody when ambiguous. */
import { deriveTags } from './tags';

describe('deriveTags mentions', () => {
  it('tags the one member with the nick, case-insensitively', () => {
    expect(deriveTags([], 'hi @Alice', [{ id: 1, nick: 'alice' }, { id: 2, nick: 'bob' }], 2)).toEqual([':user:1', ':unread:1']);
  });

  it('tags nobody when two members share a nick (data older than the uniqueness rule)', () => {
    const members = [{ id: 1, nick: 'alice' }, { id: 3, nick: 'ALICE' }, { id: 2, nick: 'bob' }];
    expect(deriveTags(['@alice'], 'hi @alice and @bob', members, 1)).toEqual([':user:2', ':unread:2']);
  });
});
