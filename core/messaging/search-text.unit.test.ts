/** The search text and tag normalising that every message store engine indexes by. */
import { message } from '../contracts/message-store.fixtures';
import { messageIndexFields, messageSearchText, normalizeKeywords, normalizeTags } from './search-text';

describe('messageSearchText', () => {
  it('lowercases string content', () => {
    expect(messageSearchText(message(1, { content: 'Hello World' }))).toBe('hello world');
  });

  it('takes the text fields of object content only', () => {
    const m = message(1, { event: 'comment', content: { title: 'Parent', text: 'Plus One', path: '/x/y' } });
    expect(messageSearchText(m)).toBe('parent\nplus one');
  });

  it('reaches the updated content of message edits', () => {
    const m = message(1, { event: 'message-edit', content: { message: 3, updated_content: { title: 'T', text: 'New' } } });
    expect(messageSearchText(m)).toBe('t\nnew');
  });

  it('adds integration title and body as plain text', () => {
    const m = message(1, { event: 'activity', content: null, title: 'Build <b>OK</b>', body: '<p>a &amp; b</p>' });
    expect(messageSearchText(m)).toBe('build  ok \n a & b ');
  });
});

describe('normalizing', () => {
  it('lowercases and de-duplicates tags', () => {
    expect(normalizeTags(['Bug', 'bug', '@Ann'])).toEqual(['bug', '@ann']);
  });

  it('trims keywords and drops blanks', () => {
    expect(normalizeKeywords([' Foo ', '', '  '])).toEqual(['foo']);
  });

  it('derives index fields', () => {
    const fields = messageIndexFields('f', message(2, { tags: ['A'], thread_id: 'T' }));
    expect(fields).toMatchObject({ conversation: 'f', id: 2, uuid: 'uuid-2', thread_id: 'T', tags_lc: ['a'] });
    expect(messageIndexFields('f', message(3)).thread_id).toBeNull();
  });
});
