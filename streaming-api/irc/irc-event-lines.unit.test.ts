/** Events as IRC lines (oulu's mapping): threads, comments, statuses, edits, membership, echo suppression, long text. */
import { type EventJson, renderEvent, type SessionView, splitText } from './irc-event-lines';
import { NickMap } from './irc-names';

function view(caps: string[] = [], posted: string[] = []): SessionView & { added: string[] } {
  const nicks = new NickMap();
  nicks.set(2, 'bob');
  const own = new Set(posted);
  const added: string[] = [];
  return {
    serverName: 'irc.test', me: { id: 1, nick: 'ann' }, nicks, added,
    has: (cap) => caps.includes(cap),
    channelOf: (flowId) => (flowId === 'f1' ? '#acme/main' : undefined),
    postedHere: (uuid) => own.delete(uuid),
    flowAdded: (flowId) => void added.push(flowId),
    flowRemoved: () => undefined,
    retitle: () => 'Renamed (Acme)',
  };
}

const base = { user: '2', flow: 'f1', sent: Date.UTC(2026, 0, 2, 3, 4, 5), uuid: 'u-1', id: 7 };
const render = (e: Partial<EventJson>, v = view()) => renderEvent(v, { ...base, ...e } as EventJson);

test('messages, thread replies, comments, statuses and edits', () => {
  expect(render({ event: 'message', content: 'hi' })).toEqual([':bob!u2@tributary PRIVMSG #acme/main :hi\r\n']);
  expect(render({ event: 'message', content: 'reply', thread: { title: 'Bug', initial_message: 3 } })).toEqual([':bob!u2@tributary PRIVMSG #acme/main :[Bug] << reply\r\n']);
  expect(render({ event: 'comment', content: { title: 'Doc', text: 'nice' } })).toEqual([':bob!u2@tributary PRIVMSG #acme/main :[Doc] << nice\r\n']);
  expect(render({ event: 'status', content: 'away' })).toEqual([':bob!u2@tributary PRIVMSG #acme/main :\u0001ACTION changed status to: away\u0001\r\n']);
  expect(render({ event: 'message-edit', content: { message: 3, updated_content: 'fixed' } })).toEqual([':bob!u2@tributary PRIVMSG #acme/main :(edited) fixed\r\n']);
  expect(render({ event: 'message-edit', content: { message: 3, updated_content: '', deleted: true } })).toEqual([]);
  expect(render({ event: 'activity', title: 'Build failed', content: 'ci', thread: { title: 'CI' } })).toEqual([':Tributary!inbox@tributary NOTICE #acme/main :[CI] Build failed ci\r\n']);
  expect(render({ event: 'typing', content: null })).toEqual([]);
});

test("an integration's sender is marked: it cannot pass for a user of the same nick", () => {
  // bob is a user in this session; a flow-token post naming itself "bob" must not look like him.
  expect(render({ event: 'message', user: '0', external_user_name: 'bob', content: 'deploy done' })).toEqual([':bob|ext!external@tributary PRIVMSG #acme/main :deploy done\r\n']);
  expect(render({ event: 'message', user: '0', external_user_name: 'CI bot 2', content: 'x' })).toEqual([':CI_bot_2|ext!external@tributary PRIVMSG #acme/main :x\r\n']);
});

test('tags only for the capabilities asked; own posts only with echo-message; multi-line text is one PRIVMSG per line', () => {
  expect(render({ event: 'message', content: 'a' }, view(['server-time', 'message-tags']))).toEqual(['@time=2026-01-02T03:04:05.000Z;msgid=u-1 :bob!u2@tributary PRIVMSG #acme/main :a\r\n']);
  expect(render({ event: 'message', content: 'mine', user: '1' }, view([], ['u-1']))).toEqual([]);
  expect(render({ event: 'message', content: 'mine', user: '1' }, view(['echo-message'], ['u-1']))).toEqual([':ann!u1@tributary PRIVMSG #acme/main :mine\r\n']);
  expect(render({ event: 'message', content: 'one\ntwo' })).toHaveLength(2);
  const long = splitText('é'.repeat(600), 60);
  expect(long.length).toBeGreaterThan(1);
  for (const part of long) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(512 - 60);
  expect(long.join('')).toBe('é'.repeat(600));
});

test('private messages, joins, blocks, renames, flow-add and flow-update', () => {
  expect(render({ event: 'message', flow: undefined, to: '1', content: 'psst' })).toEqual([':bob!u2@tributary PRIVMSG ann :psst\r\n']);
  expect(render({ event: 'message', flow: undefined, to: '2', user: '1', uuid: 'other', content: 'back' })).toEqual([':ann!u1@tributary PRIVMSG bob :back\r\n']);
  expect(render({ event: 'backend.user.join', content: { user: { id: 3, nick: 'cy' } } })).toEqual([':cy!u3@tributary JOIN #acme/main\r\n']);
  expect(render({ event: 'backend.user.block', content: 2 })).toEqual([':bob!u2@tributary PART #acme/main :blocked\r\n']);
  const v = view();
  expect(render({ event: 'user-edit', content: { user: { id: 2, nick: 'rob' } } }, v)).toEqual([':bob!u2@tributary NICK rob\r\n']);
  expect(render({ event: 'user-edit', content: { user: { id: 2, nick: 'rob' } } }, v)).toEqual([]);
  expect(render({ event: 'flow-add', flow: undefined, content: { id: 'f9', open: true } }, v)).toEqual([]);
  expect(v.added).toEqual(['f9']);
  expect(render({ event: 'flow-update', content: { name: 'Renamed' } })).toEqual([':irc.test TOPIC #acme/main :Renamed (Acme)\r\n']);
});
