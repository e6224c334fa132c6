/** The filter box: #tags and keywords to REST parameters, and the tags a message shows. */
import { describeQuery, filterText, hashtagsOf, parseFilter, queryParams } from './message-query';

it('takes #words as tags and the other words as a search, and nothing as no query', () => {
  expect(parseFilter('#deploy')).toEqual({ tags: ['deploy'] });
  expect(parseFilter('  #deploy  #db disk full ')).toEqual({ tags: ['deploy', 'db'], search: 'disk full' });
  expect(parseFilter('disk')).toEqual({ search: 'disk' });
  expect(parseFilter('   ')).toBeNull();
  // A lone # is a word to search, not an empty tag.
  expect(parseFilter('#')).toEqual({ search: '#' });
});

it('asks the API for chat messages with tags= and search=, encoded', () => {
  expect(queryParams({ tags: ['deploy', 'db'] }, 100)).toBe('event=message&limit=100&tags=deploy%2Cdb');
  expect(queryParams({ search: 'disk & full' }, 50)).toBe('event=message&limit=50&search=disk+%26+full');
  expect(queryParams({ search: 'disk' }, 100, 200)).toBe('event=message&limit=100&skip=200&search=disk');
});

it('names what is shown and writes the box text back', () => {
  expect(describeQuery({ tags: ['deploy'] })).toBe('Messages tagged #deploy');
  expect(describeQuery({ tags: ['a'], search: 'x y' })).toBe('Messages tagged #a and matching “x y”');
  expect(filterText({ tags: ['a', 'b'], search: 'x' })).toBe('#a #b x');
});

it('shows hashtags only, never the system tags', () => {
  expect(hashtagsOf(['deploy', ':user:3', ':unread:3', ':url', 'influx:12', 'db'])).toEqual(['deploy', 'db']);
  expect(hashtagsOf(undefined)).toEqual([]);
});
