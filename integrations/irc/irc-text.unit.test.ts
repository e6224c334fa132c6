import { flowMentionsToIrc, stripIrcFormatting, ircLinesOf, ircMentionsToFlow, ircTextBudget, splitUtf8 } from './irc-text';

test('mentions: a leading @nick becomes nick: on IRC, and nick: / nick, becomes @nick in the flow', () => {
  expect(flowMentionsToIrc('@bob see this')).toBe('bob: see this');
  expect(flowMentionsToIrc('@bob: see this')).toBe('bob: see this');
  expect(flowMentionsToIrc('ask @bob later')).toBe('ask @bob later');
  expect(ircMentionsToFlow('bob: see this')).toBe('@bob see this');
  expect(ircMentionsToFlow('bob, see this')).toBe('@bob see this');
  expect(ircMentionsToFlow('note: bob is out')).toBe('@note bob is out');
  expect(ircMentionsToFlow('http://example.com')).toBe('http://example.com');
});

test('splitUtf8 never cuts a code point, keeps each piece within the budget, and loses nothing but the spaces it breaks at', () => {
  const text = `${'é'.repeat(300)}${'🙂'.repeat(100)}${'x'.repeat(500)}`;
  const pieces = splitUtf8(text, 100);
  expect(pieces.join('')).toBe(text);
  const words = Array.from({ length: 200 }, (_, i) => `wörd${i}🙂`).join(' ');
  expect(splitUtf8(words, 100).join(' ')).toBe(words);
  for (const piece of pieces) {
    expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(100);
    expect(piece).not.toContain('\uFFFD');
    expect(Buffer.from(piece, 'utf8').toString('utf8')).toBe(piece);
  }
  expect(pieces.length).toBeGreaterThan(10);
});

test('splitUtf8 prefers to end a piece after a space in its second half', () => {
  expect(splitUtf8('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
  expect(splitUtf8('aaaa bbbbb cccc', 10)).toEqual(['aaaa bbbbb', 'cccc']);
  // The only space is in the first half: cutting there would waste the line, so the word is cut.
  expect(splitUtf8('aaaa bbbbbb cccc', 10)).toEqual(['aaaa bbbbb', 'b cccc']);
  expect(splitUtf8('a bbbbbbbbbbbbbb', 10)).toEqual(['a bbbbbbbb', 'bbbbbb']);
});

test('ircLinesOf: one prefixed line per line of text, each fitting 512 bytes once relayed', () => {
  const budget = (prefix: string) => ircTextBudget('tributary', '#team', prefix);
  const lines = ircLinesOf('alice', `first\n\n${'ü'.repeat(1000)}`, budget);
  expect(lines[0]).toBe('<alice> first');
  for (const line of lines) {
    expect(line.startsWith('<alice> ')).toBe(true);
    expect(Buffer.byteLength(`:tributary!uuuuuuuuuu@${'h'.repeat(63)} PRIVMSG #team :${line}\r\n`)).toBeLessThanOrEqual(512);
  }
  expect(lines.slice(1).map((l) => l.slice('<alice> '.length)).join('')).toBe('ü'.repeat(1000));
  expect(ircLinesOf('alice', '   \n', budget)).toEqual([]);
});

test('a budget too small for any text is refused with the cause', () => {
  expect(() => splitUtf8('abc', 2)).toThrow(/too long/);
});

test('IRC formatting codes are stripped, colour digits included, and the text kept', () => {
  expect(stripIrcFormatting('\x02bold\x02 \x0304,12red on blue\x03 \x1ditalic\x1d \x1funder\x0f 2\x03 \x0412ab34plain')).toBe('bold red on blue italic under 2 plain');
  expect(stripIrcFormatting('\x0399 bottles')).toBe(' bottles');
});
