/** @mention completion: the word after an @ at the caret, who matches it, and the completed text. */
import { complete, mentionAt, suggestions } from './mention';
import type { User } from './types';

const u = (id: number, nick: string): User => ({ id, nick, name: nick, email: `${nick}@x` });
const members = [u(1, 'bob'), u(2, 'Bobby'), u(3, 'alice'), u(4, 'bo-diddley')];

it('finds the @word ending at the caret, not one in an email or elsewhere', () => {
  expect(mentionAt('hey @bo', 7)).toEqual({ start: 4, query: 'bo' });
  expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
  expect(mentionAt('mail me@bo', 10)).toBeNull();
  expect(mentionAt('hey @bob and', 12)).toBeNull();
  expect(mentionAt('hey @bo and', 7)).toEqual({ start: 4, query: 'bo' });
});

it('suggests members whose nick starts with the word, any case, in nick order', () => {
  expect(suggestions(members, 'bo').map((m) => m.nick)).toEqual(['bo-diddley', 'bob', 'Bobby']);
  expect(suggestions(members, 'AL').map((m) => m.nick)).toEqual(['alice']);
  expect(suggestions(members, 'z')).toEqual([]);
});

it('replaces the word at the caret with @nick and a space, keeping the rest', () => {
  expect(complete('hey @bo', 7, 'bob')).toEqual({ text: 'hey @bob ', caret: 9 });
  expect(complete('hey @bo and you', 7, 'bob')).toEqual({ text: 'hey @bob  and you', caret: 9 });
  expect(complete('no mention', 10, 'bob')).toEqual({ text: 'no mention', caret: 10 });
});
