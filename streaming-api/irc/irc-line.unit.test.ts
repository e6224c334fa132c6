/** IRC line parsing, formatting and reading: tags, trailing params, limits, bad bytes. */
import { formatLine, parseLine } from './irc-line';
import { IrcLineReader } from './irc-line-reader';
import { credentialsOfPass, credentialsOfSaslPlain } from './irc-login';
import { flowRefOfChannel, NickMap } from './irc-names';

test('parseLine reads tags, ignores a source prefix and keeps the trailing param whole', () => {
  const m = parseLine('@label=a\\sb;+x :nick!u@h privmsg #acme/main :hello  there');
  expect(m).toEqual({ tags: new Map([['label', 'a b'], ['+x', '']]), command: 'PRIVMSG', params: ['#acme/main', 'hello  there'] });
  expect(parseLine('   ')).toBeNull();
});

test('formatLine makes the last of several params trailing and escapes tag values', () => {
  expect(formatLine('s', 'PRIVMSG', ['#c', 'hi'], { msgid: 'a;b c' })).toBe('@msgid=a\\:b\\sc :s PRIVMSG #c :hi\r\n');
  expect(formatLine(null, 'JOIN', ['#c'])).toBe('JOIN #c\r\n');
});

test('formatLine never lets a param end the line: a flow name or display name with CR/LF/NUL stays one line', () => {
  // A member renamed the flow (TOPIC), or a user set their name (WHO 352), to smuggle a line into other clients' streams.
  const topic = formatLine('irc.test', 'TOPIC', ['#acme/main', 'Main\r\n:ann!u1@tributary PRIVMSG #acme/main :spoofed\r\nX (Acme)']);
  expect(topic).toBe(':irc.test TOPIC #acme/main :Main :ann!u1@tributary PRIVMSG #acme/main :spoofed X (Acme)\r\n');
  const who = formatLine('irc.test', '352', ['ann', '#acme/main', 'u2', 'tributary', 'irc.test', 'eve', 'G', '0 Eve\n:irc.test 001 ann :x\u0000']);
  expect(who.split('\r\n')).toEqual([':irc.test 352 ann #acme/main u2 tributary irc.test eve G :0 Eve :irc.test 001 ann :x ', '']);
});

test('the reader splits CRLF and LF lines across chunks and refuses bad ones', () => {
  const reader = new IrcLineReader();
  expect(reader.push(Buffer.from('NICK a\r\nUSER a 0 * :A'))).toEqual([{ kind: 'line', text: 'NICK a' }]);
  expect(reader.push(Buffer.from('\nPING x\n'))).toEqual([{ kind: 'line', text: 'USER a 0 * :A' }, { kind: 'line', text: 'PING x' }]);
  expect(reader.push(Buffer.from([...Buffer.from('PRIVMSG #c :a'), 0, 0x0a]))).toEqual([{ kind: 'refused', problem: 'NUL byte', command: 'PRIVMSG' }]);
  expect(reader.push(Buffer.from([...Buffer.from('PRIVMSG #c :'), 0xff, 0x0a]))).toEqual([{ kind: 'refused', problem: 'invalid UTF-8', command: 'PRIVMSG' }]);
  expect(reader.push(Buffer.from(`PRIVMSG #c :${'x'.repeat(499)}\r\n`))).toEqual([{ kind: 'refused', problem: 'too long', command: 'PRIVMSG' }]);
  expect(reader.push(Buffer.from(`PRIVMSG #c :${'x'.repeat(498)}\r\n`))).toHaveLength(1);
  expect(reader.push(Buffer.from(`PRIVMSG #c :${'x'.repeat(498)}\r\n`))[0]).toMatchObject({ kind: 'line' });
  // Far over the limit, in pieces: never buffered, refused once its end comes.
  expect(reader.push(Buffer.from(`TOPIC ${'y'.repeat(10_000)}`))).toEqual([]);
  expect(reader.push(Buffer.from(`${'y'.repeat(10_000)}\r\nPING z\r\n`))).toEqual([{ kind: 'refused', problem: 'too long', command: 'TOPIC' }, { kind: 'line', text: 'PING z' }]);
});

test('PASS and SASL PLAIN credentials', () => {
  expect(credentialsOfPass(['a@b.c', 'pass word'])).toEqual({ email: 'a@b.c', password: 'pass word' });
  expect(credentialsOfPass(['a@b.c:pa:ss'])).toEqual({ email: 'a@b.c', password: 'pa:ss' });
  expect(credentialsOfPass(['tok3n'])).toEqual({ token: 'tok3n' });
  expect(credentialsOfPass([])).toBeNull();
  expect(credentialsOfSaslPlain(Buffer.from('\u0000a@b.c\u0000pw').toString('base64'))).toEqual({ email: 'a@b.c', password: 'pw' });
  expect(credentialsOfSaslPlain(Buffer.from('nonsense').toString('base64'))).toBeNull();
});

test('channels name flows; nick clashes get a suffix, case-insensitively', () => {
  expect(flowRefOfChannel('#Acme/Main')).toBe('acme/main');
  expect(flowRefOfChannel('#acme:main')).toBe('acme/main');
  expect(flowRefOfChannel('#main')).toBeNull();
  const nicks = new NickMap();
  expect(nicks.set(1, 'Ann')).toBe('Ann');
  expect(nicks.set(2, 'ann')).toBe('ann|2');
  expect(nicks.set(3, 'bad nick!')).toBe('bad_nick_');
  expect(nicks.set(1, 'Ann')).toBe('Ann');
  expect(nicks.idOf('ANN|2')).toBe(2);
  expect(nicks.idOf('ann\\2')).toBe(2); // rfc1459: \ is | folded
  // A user who picks the clash's name gets it cleaned, never the second ann's place.
  expect(nicks.set(4, 'ann|2')).toBe('ann_2');
  expect(nicks.set(5, 'ann2')).toBe('ann2');
  expect(nicks.set(2, 'Bo')).toBe('Bo');
  expect(nicks.idOf('ann|2')).toBeUndefined();
});
