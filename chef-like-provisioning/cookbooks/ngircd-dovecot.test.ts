/** The ngircd and dovecot cookbooks converged for real: an IRC registration and an IMAP login succeed. */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes } from '../api';
import { changedIds, converge, killByPidFiles, talk } from './testing/converge';

const dir = mkdtempSync(join(tmpdir(), 'cookbook-irc-mail-'));
// mkdtemp makes it 0700; Dovecot's auth process (user dovecot) and mail (nobody) must get through.
chmodSync(dir, 0o755);
const node: Attributes = {
  ngircd: { port: 16677, dataDir: join(dir, 'ngircd') },
  dovecot: { port: 11443, dataDir: join(dir, 'dovecot') },
};

afterAll(async () => {
  await killByPidFiles([join(dir, 'ngircd', 'ngircd.pid'), join(dir, 'dovecot', 'dovecot.pid')]);
  rmSync(dir, { recursive: true, force: true });
}, 20_000);

beforeAll(async () => {
  await converge(['ngircd', 'dovecot'], node);
}, 180_000);

test('ngircd registers a client (001 welcome)', async () => {
  const answer = await talk(16677, ['NICK tester', 'USER tester 0 * :Test User'], / 001 tester /);
  expect(answer).toContain('irc.test.local');
});

test('dovecot logs the test user in over IMAP', async () => {
  const answer = await talk(11443, ['a LOGIN test@test.local secret'], /^a (OK|NO|BAD)/m);
  expect(answer).toMatch(/^a OK/m);
});

test('a second converge changes nothing', async () => {
  expect(changedIds(await converge(['ngircd', 'dovecot'], node))).toEqual([]);
});
