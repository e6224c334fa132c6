/** Which flow a keyboard shortcut opens: neighbours in list order (wrapping), or the next one with something unread. */
import { flowToOpen } from './shortcuts';
import type { Flow } from './types';

const flow = (id: string, mentions = 0): Flow => ({ id, name: id, parameterized_name: id, organization: { name: 'A', parameterized_name: 'a' }, unread_mentions: mentions });
const flows = [flow('a'), flow('b'), flow('c', 2), flow('d')];
const none = new Map<string, number>();

it('moves to the next and previous flow, wrapping around', () => {
  expect(flowToOpen(flows, 'a', 'next', none)?.id).toBe('b');
  expect(flowToOpen(flows, 'd', 'next', none)?.id).toBe('a');
  expect(flowToOpen(flows, 'a', 'previous', none)?.id).toBe('d');
  expect(flowToOpen(flows, null, 'next', none)?.id).toBe('a');
  expect(flowToOpen([flow('a')], 'a', 'next', none)).toBeNull();
});

it('jumps to the next flow with unread messages or mentions, or nowhere', () => {
  expect(flowToOpen(flows, 'a', 'next-unread', none)?.id).toBe('c');
  expect(flowToOpen(flows, 'c', 'next-unread', new Map([['b', 1]]))?.id).toBe('b');
  expect(flowToOpen([flow('a'), flow('b')], 'a', 'next-unread', none)).toBeNull();
});
