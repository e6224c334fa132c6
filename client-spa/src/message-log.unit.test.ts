/** The app's message log: stored messages once each, in id order, however history, live events and own posts interleave. */
import { addPending, applyEvents, applyHistoryPage, applyStoredPost, emptyLog, failPending, visibleMessages } from './message-log';
import type { FlowEvent } from './types';

const message = (id: number, content: string, uuid: string | null = null): FlowEvent => ({ id, event: 'message', content, flow: 'f', user: '1', uuid, sent: id * 1000 });
const texts = (log = emptyLog()) => visibleMessages(log).map((m) => m.text);

it('keeps each stored message once, in id order, whether it came from history, live or a resume', () => {
  let log = applyEvents(emptyLog(), [message(3, 'c'), message(4, 'd')]);
  log = applyEvents(log, [message(1, 'a'), message(2, 'b'), message(3, 'c again')]);
  log = applyEvents(log, [message(4, 'd again'), message(5, 'e')]);
  expect(texts(log)).toEqual(['a', 'b', 'c', 'd', 'e']);
  expect(log.lastId).toBe(5);
});

it('replaces a pending post by its stored self (same uuid), and keeps a failed one with its reason', () => {
  let log = addPending(emptyLog(), { uuid: 'u1', user: '1', text: 'mine', sent: 0 });
  log = addPending(log, { uuid: 'u2', user: '1', text: 'lost', sent: 0 });
  expect(visibleMessages(log).map((m) => [m.text, m.pending])).toEqual([['mine', true], ['lost', true]]);
  log = applyEvents(log, [message(7, 'mine', 'u1')]);
  log = failPending(log, 'u2', 'offline');
  expect(visibleMessages(log).map((m) => [m.text, m.id, m.failed])).toEqual([['mine', 7, undefined], ['lost', undefined, 'offline']]);
});

it('applies edits to the message they name and leaves out deleted (emptied) messages; other events only move lastId', () => {
  const edit = (id: number, target: number, text: string): FlowEvent => ({ ...message(id, ''), event: 'message-edit', content: { message: target, updated_content: text } });
  let log = applyEvents(emptyLog(), [message(1, 'tpyo'), message(2, 'gone'), edit(3, 1, 'typo'), edit(4, 2, '')]);
  log = applyEvents(log, [{ ...message(9, ''), event: 'tag-change', content: {} }]);
  expect(texts(log)).toEqual(['typo']);
  expect(visibleMessages(log)[0]?.edited).toBe(true);
  expect(log.lastId).toBe(9);
});

it('shows markup as the text it is (rendering makes it a text node)', () => {
  const log = applyEvents(emptyLog(), [message(1, '<img src=x onerror=alert(1)>')]);
  expect(texts(log)).toEqual(['<img src=x onerror=alert(1)>']);
});

it('pages back through history: each page lowers oldestId, and a short page says the beginning was reached', () => {
  const page = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i, `m${from + i}`));
  let log = applyEvents(emptyLog(), [message(251, 'live')]);
  log = applyHistoryPage(log, page(151, 250), 100);
  expect([log.oldestId, log.hasEarlier, log.lastId]).toEqual([151, true, 251]);
  log = applyHistoryPage(log, page(51, 150), 100);
  log = applyHistoryPage(log, page(1, 50), 100);
  expect([log.oldestId, log.hasEarlier]).toEqual([1, false]);
  expect(visibleMessages(log).map((m) => m.id)).toEqual(Array.from({ length: 251 }, (_, i) => i + 1));
});

it('shows one\'s own stored post without moving the resume point past what the stream has not delivered', () => {
  let log = applyEvents(emptyLog(), [message(1, 'a')]);
  log = addPending(log, { uuid: 'u9', user: '1', text: 'mine', sent: 0 });
  log = applyStoredPost(log, message(9, 'mine', 'u9'));
  expect(texts(log)).toEqual(['a', 'mine']);
  expect(log.lastId).toBe(1);
  // The stream then resumes from 1: what others posted meanwhile, and the post again, each once.
  log = applyEvents(log, [message(5, 'theirs'), message(9, 'mine', 'u9')]);
  expect(texts(log)).toEqual(['a', 'theirs', 'mine']);
  expect(log.lastId).toBe(9);
});
