/** The app's URLs map to its pages; anything else under /app/ is an unknown page, never a guess. */
import { parseRoute, urlOfConversation } from './route';

it.each([
  ['/app/', { page: 'home' }],
  ['/app', { page: 'home' }],
  ['/app/acme/main', { page: 'flow', path: 'acme/main' }],
  ['/app/acme/main/', { page: 'flow', path: 'acme/main' }],
  ['/app/acme/main/threads/t1', { page: 'flow', path: 'acme/main', thread: 't1' }],
  ['/app/private/42', { page: 'private', userId: '42' }],
  ['/app/admin/failover', { page: 'failover' }],
  ['/app/admin/failover/', { page: 'failover' }],
  ['/app/admin/ops', { page: 'flow', path: 'admin/ops' }],
  ['/app/acme/main/extra', { page: 'unknown' }],
])('%s', (pathname, route) => {
  expect(parseRoute(pathname)).toEqual(route);
});

it('finds the URL of a conversation by its key, and none for a flow it does not know', () => {
  const flow = { id: 'f1', name: 'Main', parameterized_name: 'main', organization: { name: 'Acme', parameterized_name: 'acme' }, unread_mentions: 0 };
  expect(urlOfConversation('f1', [flow])).toBe('/app/acme/main');
  expect(urlOfConversation('private:42', [])).toBe('/app/private/42');
  expect(urlOfConversation('f2', [flow])).toBeNull();
});
