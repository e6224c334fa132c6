import { parseIrcSourceConfig } from './irc-config';

test('the issue example parses, with the flood limits defaulted', () => {
  expect(parseIrcSourceConfig({ server: '127.0.0.1', port: 6667, tls: false, channel: '#team', nick: 'tributary' })).toEqual({
    server: '127.0.0.1', port: 6667, tls: false, channel: '#team', nick: 'tributary', flood: { burst: 4, interval_ms: 1000 },
  });
});

test('bad fields are named, with what they should be and an example', () => {
  expect(() => parseIrcSourceConfig({ server: '', channel: 'team', nick: '9lives', port: 70000 })).toThrow(
    /config\.server must name the IRC server.*config\.port .*config\.channel must be an IRC channel.*config\.nick must be an IRC nick.*example:/,
  );
  expect(() => parseIrcSourceConfig(null)).toThrow(/invalid irc source config: config\.\(root\)/);
  expect(() => parseIrcSourceConfig({ server: 'irc', channel: '#a', nick: 'b', colour: 'red' })).toThrow(/colour/);
});
