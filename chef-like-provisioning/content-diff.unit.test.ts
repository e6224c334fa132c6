/** The report's content diffs: unified like diff -u, secrets masked, sensitive content hidden, long diffs cut. */
import { contentDiff, unifiedDiff } from './content-diff';
import { MASK, maskSecrets } from './secret-mask';

const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);
const text = (lines: string[]) => `${lines.join('\n')}\n`;

describe('unifiedDiff', () => {
  test('equal texts have no diff', () => {
    expect(unifiedDiff('/etc/x', 'a\nb\n', 'a\nb\n')).toEqual([]);
  });

  test('one changed line shows with three lines of context either side, numbered as diff -u numbers it', () => {
    const before = numbered(1, 10);
    const after = [...before];
    after[4] = 'line five';
    expect(unifiedDiff('/etc/x', text(before), text(after))).toEqual([
      '--- /etc/x',
      '+++ /etc/x (new)',
      '@@ -2,7 +2,7 @@',
      ' line 2',
      ' line 3',
      ' line 4',
      '-line 5',
      '+line five',
      ' line 6',
      ' line 7',
      ' line 8',
    ]);
  });

  test('changes far apart get a hunk each; an added and a removed line count on their own side only', () => {
    const before = numbered(1, 20);
    const after = [...before.slice(0, 2), 'inserted', ...before.slice(2, 17), ...before.slice(18)];
    expect(unifiedDiff('f', text(before), text(after))).toEqual([
      '--- f',
      '+++ f (new)',
      '@@ -1,5 +1,6 @@',
      ' line 1',
      ' line 2',
      '+inserted',
      ' line 3',
      ' line 4',
      ' line 5',
      '@@ -15,6 +16,5 @@',
      ' line 15',
      ' line 16',
      ' line 17',
      '-line 18',
      ' line 19',
      ' line 20',
    ]);
  });

  test('a new file is all additions from line 0; removals come before additions within a block', () => {
    expect(unifiedDiff('n', '', 'a\nb\n')).toEqual(['--- n', '+++ n (new)', '@@ -0,0 +1,2 @@', '+a', '+b']);
    expect(unifiedDiff('r', 'x\ny\nz\n', 'x\n1\n2\nz\n')).toEqual(['--- r', '+++ r (new)', '@@ -1,3 +1,4 @@', ' x', '-y', '+1', '+2', ' z']);
  });

  test('a missing newline at the end is a difference, and said so', () => {
    expect(unifiedDiff('e', 'a\nb\n', 'a\nb')).toEqual(['--- e', '+++ e (new)', '@@ -1,2 +1,2 @@', ' a', '-b', '+b', '\\ No newline at end of file']);
  });

  test('a long diff is cut, saying how much was left out', () => {
    const lines = unifiedDiff('big', '', text(numbered(1, 500)));
    expect(lines).toHaveLength(201);
    expect(lines[200]).toBe('… 303 more lines of diff not shown');
  });

  test('binary content is not drawn', () => {
    expect(unifiedDiff('bin', 'a\u0000', 'b\u0000')).toEqual(['binary content of bin differs']);
  });

  test('secret-looking values are masked on both sides, so a changed password shows as changed but not what it was or is', () => {
    const diff = unifiedDiff('redis.conf', 'port 6390\nrequirepass old-secret\n', 'port 6390\nrequirepass new-secret\n');
    expect(diff).toEqual(['--- redis.conf', '+++ redis.conf (new)', '@@ -1,2 +1,2 @@', ' port 6390', `-requirepass ${MASK}`, `+requirepass ${MASK}`]);
    expect(diff.join('\n')).not.toContain('secret-');
  });
});

describe('contentDiff', () => {
  test('a sensitive resource shows one line instead of its content', () => {
    expect(contentDiff('/etc/users', '', 'alice:{PLAIN}hunter2\n', true)).toEqual(['(content of /etc/users not shown: the resource is marked sensitive)']);
    expect(contentDiff('/etc/users', 'same', 'same', true)).toEqual([]);
  });

  test('otherwise it is the unified diff', () => {
    expect(contentDiff('/etc/a', 'a\n', 'b\n', false)).toEqual(['--- /etc/a', '+++ /etc/a (new)', '@@ -1 +1 @@', '-a', '+b']);
  });
});

describe('maskSecrets', () => {
  test.each([
    ['requirepass hunter2', `requirepass ${MASK}`],
    ['masterauth hunter2', `masterauth ${MASK}`],
    ['  password = hunter2', `  password = ${MASK}`],
    ['DB_PASSWORD=hunter2', `DB_PASSWORD=${MASK}`],
    ['export API_TOKEN="abc"', `export API_TOKEN=${MASK}`],
    ['client_secret: abc', `client_secret: ${MASK}`],
    ['"apiKey": "abc",', `"apiKey": ${MASK},`],
    ['ssl_key = /etc/ssl/private/x.pem', `ssl_key = ${MASK}`],
    ['DATABASE_URL=postgres://tributary:hunter2@10.0.0.5:5432/tributary', `DATABASE_URL=postgres://tributary:${MASK}@10.0.0.5:5432/tributary`],
    ['replicaof redis://:hunter2@10.0.0.6 6390', `replicaof redis://:${MASK}@10.0.0.6 6390`],
  ])('%s → %s', (line, masked) => {
    expect(maskSecrets(line)).toBe(masked);
  });

  test.each([
    'port 6390',
    'maxmemory 100mb',
    'auth_mechanisms = plain login',
    'passdb {',
    'password =',
    'REDIS_URL=redis://10.0.0.6:6390',
    '# set requirepass below',
  ])('leaves %s as it is', (line) => {
    expect(maskSecrets(line)).toBe(line);
  });
});
