/** Notifications: mentions of me or everyone and private messages to me notify; my own messages and edits never do. */
import { noticeOf, notifies } from './notifications';
import type { FlowEvent } from './types';

const event = (over: Partial<FlowEvent>): FlowEvent => ({ id: 1, event: 'message', content: 'hi', flow: 'f', user: '2', uuid: null, sent: 0, ...over });

it('notifies a mention of me or of everyone, and a private message to me', () => {
  expect(notifies(event({ tags: [':user:7', ':unread:7'] }), '7')).toBe(true);
  expect(notifies(event({ tags: [':user:everyone'] }), '7')).toBe(true);
  expect(notifies(event({ flow: undefined, to: '7' }), '7')).toBe(true);
});

it('stays quiet for others\' mentions, untagged chat, my own messages and edits', () => {
  expect(notifies(event({ tags: [':user:8', 'deploy'] }), '7')).toBe(false);
  expect(notifies(event({}), '7')).toBe(false);
  expect(notifies(event({ user: '7', tags: [':user:everyone'] }), '7')).toBe(false);
  expect(notifies(event({ event: 'message-edit', tags: [':user:7'] }), '7')).toBe(false);
});

it('says who and where, and cuts a long text', () => {
  expect(noticeOf(event({ content: 'deploy?' }), 'f', 'bob', 'Main')).toEqual({ key: 'f', title: 'bob mentioned you in Main', body: 'deploy?' });
  expect(noticeOf(event({ flow: undefined, to: '7' }), 'private:2', 'bob', 'bob').title).toBe('bob wrote to you');
  expect(noticeOf(event({ content: 'x'.repeat(500) }), 'f', 'bob', 'Main').body).toHaveLength(140);
});
