/** Which conversation a URL shows and an event belongs to: flows by path, private ones by the other person. */
import { conversationAt, conversationKeyOf } from './conversations';
import type { Flow, FlowEvent, User } from './types';

const me: User = { id: 5, email: 'me@x', name: 'Me', nick: 'me' };
const ann: User = { id: 9, email: 'ann@x', name: 'Ann Lee', nick: 'ann' };
const flow: Flow = { id: 'f1', name: 'Main', parameterized_name: 'main', organization: { name: 'Acme', parameterized_name: 'acme' }, unread_mentions: 0, users: [me, ann] };
const event = (over: Partial<FlowEvent>): FlowEvent => ({ id: 1, event: 'message', content: 'x', user: '9', uuid: null, sent: 0, ...over });

it('finds a flow by its path and a private conversation by the other person, or nothing', () => {
  expect(conversationAt({ page: 'flow', path: 'acme/main' }, [flow], [ann], me)).toMatchObject({ key: 'f1', title: 'Main', base: '/flows/acme/main', flowId: 'f1' });
  expect(conversationAt({ page: 'private', userId: '9' }, [flow], [ann], me)).toMatchObject({ key: 'private:9', title: 'ann', base: '/private/9' });
  expect(conversationAt({ page: 'private', userId: '9' }, [flow], [ann], me)?.flowId).toBeUndefined();
  expect(conversationAt({ page: 'private', userId: '77' }, [flow], [ann], me)).toBeNull();
  expect(conversationAt({ page: 'flow', path: 'acme/secret' }, [flow], [ann], me)).toBeNull();
});

it('marks an archived flow (`disabled`), whose view shows no composer', () => {
  expect(conversationAt({ page: 'flow', path: 'acme/main' }, [flow], [ann], me)?.archived).toBeUndefined();
  expect(conversationAt({ page: 'flow', path: 'acme/main' }, [{ ...flow, disabled: true }], [ann], me)?.archived).toBe(true);
});

it('keys an event by its flow, or by the other person of a private message whoever sent it', () => {
  expect(conversationKeyOf(event({ flow: 'f1' }), '5')).toBe('f1');
  expect(conversationKeyOf(event({ to: '5', user: '9' }), '5')).toBe('private:9');
  expect(conversationKeyOf(event({ to: '9', user: '5' }), '5')).toBe('private:9');
  expect(conversationKeyOf(event({}), '5')).toBeNull();
});
