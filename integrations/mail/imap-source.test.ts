/**
 * IMAP sources against a real Dovecot (the project's dovecot cookbook, on a free port), run by
 * `tributary start integrations`: the first-run rule, new mail posted once in order with its thread,
 * attachments stored, bad mail recorded on the status without stopping the source, a bomb of 1 000
 * mails read in batches with none lost or doubled, a recreated mailbox (new UIDVALIDITY) doubling
 * nothing, and new mail brought at once by IDLE.
 */
import { randomBytes } from 'node:crypto';
import { type RunningServices, startServices } from '../../cli/start';
import { silentLog } from '../../core/log';
import { MAILBOX_PASSWORD, rawMail, startDovecot, type TestDovecot } from '../../test/support/dovecot';
import { eventually } from '../../test/support/feed-server';
import { FAST_SOURCES_ENV, sourceStatus } from '../../test/support/rss-sources';
import { api, startTestStack, type TestStack } from '../../test/support/stack';

const USERS = ['first@test.local', 'bad@test.local', 'bomb@test.local', 'moved@test.local', 'idle@test.local'];
const MAIL_MAX_BYTES = 64 * 1024;
let dovecot: TestDovecot;
let stack: TestStack;
const services: RunningServices[] = [];

beforeAll(async () => {
  dovecot = await startDovecot(USERS);
  stack = await startTestStack({ service: 'web-api', env: { ...FAST_SOURCES_ENV, SOURCE_SECRET_KEY: randomBytes(32).toString('base64'), MAIL_MAX_BYTES: String(MAIL_MAX_BYTES) } });
  services.push(await startServices('message-backend', stack.config, silentLog()));
  services.push(await startServices('integrations', stack.config, silentLog()));
}, 120_000);

afterAll(async () => {
  for (const s of services.reverse()) await s.stop();
  await stack?.stop();
  await dovecot?.remove();
});

async function createImapSource(user: string, mailbox?: string, intervalS = 0.2): Promise<number> {
  const config = { host: '127.0.0.1', port: dovecot.port, secure: false, user, password: MAILBOX_PASSWORD, interval_s: intervalS, ...(mailbox ? { mailbox } : {}) };
  const res = await api(stack, 'POST', `/flows/${stack.flow.path}/sources`, { auth: stack.alice.auth, body: { name: `Mail ${user}`, type: 'imap', config } });
  if (res.status !== 201) throw new Error(`creating the source answered ${res.status}: ${JSON.stringify(res.body)}`);
  expect(res.body.config.password).toBeUndefined();
  expect(res.body.secrets_set).toEqual(['password']);
  return res.body.id as number;
}

type Item = { title: string; body?: string; thread_id: string; source_id?: number; attachments: { path: string; file_name: string }[] };

async function items(sourceId: number): Promise<Item[]> {
  const all: Item[] = [];
  for (let since = 0; ; ) {
    const res = await api(stack, 'GET', `/flows/${stack.flow.path}/messages?event=discussion&limit=100&sort=asc&since_id=${since}`, { auth: stack.alice.auth });
    const page = res.body as (Item & { id: number })[];
    all.push(...page);
    if (page.length < 100) break;
    since = page.at(-1)!.id;
  }
  return all.filter((m) => m.source_id === sourceId);
}

const statusOf = (id: number) => () => sourceStatus(stack, id);

it('posts only the newest 3 mails on its first run, then every new mail once, in order, threaded, with attachments', async () => {
  await dovecot.deliver(USERS[0]!, [1, 2, 3, 4, 5].map((n) => rawMail(n)));
  const id = await createImapSource(USERS[0]!);
  await eventually(statusOf(id), (s) => s?.items_posted === 3, 'the first run');
  expect((await items(id)).map((m) => m.title)).toEqual(['mail 3', 'mail 4', 'mail 5']);

  const withFile = [
    'From: a@outside.test', 'Subject: Re: mail 5', 'Message-ID: <m6@outside.test>', 'In-Reply-To: <m5@outside.test>', 'References: <m5@outside.test>',
    'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=B', '', '--B', 'Content-Type: text/plain', '', 'see attached', '--B',
    'Content-Type: text/csv; name=data.csv', 'Content-Disposition: attachment; filename=data.csv', '', 'a,b', '--B--', '',
  ].join('\r\n');
  await dovecot.deliver(USERS[0]!, [withFile, rawMail(7)]);
  await eventually(statusOf(id), (s) => s?.items_posted === 5, 'the new mails');
  const posted = await items(id);
  expect(posted.map((m) => m.title)).toEqual(['mail 3', 'mail 4', 'mail 5', 'Re: mail 5', 'mail 7']);
  expect(posted[3]!.thread_id).toBe(posted[2]!.thread_id);
  expect(posted[3]!.attachments.map((a) => a.file_name)).toEqual(['data.csv']);
  const file = await fetch(`${stack.url}${posted[3]!.attachments[0]!.path}`, { headers: { authorization: stack.alice.auth } });
  expect((await file.text()).trim()).toBe('a,b');
  expect((await sourceStatus(stack, id))?.last_error).toBeNull();
});

it('posts a notice for a mail too large to fetch, malformed mail as storable text, and keeps going', async () => {
  const id = await createImapSource(USERS[1]!);
  await eventually(statusOf(id), (s) => s?.last_success_at !== null && s?.last_success_at !== undefined, 'the first (empty) run');
  const broken = Buffer.concat([Buffer.from('From: \xff\xfe <x@outside.test>\r\nSubject: broken\r\nMessage-ID: <broken@outside.test>\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\nbad ', 'latin1'), Buffer.from([0xc3, 0x28, 0x00, 0xff]), Buffer.from('\r\n')]);
  await dovecot.deliver(USERS[1]!, [rawMail(20, { body: 'x'.repeat(MAIL_MAX_BYTES) }), broken, rawMail(21)]);
  const status = await eventually(statusOf(id), (s) => s?.items_posted === 3, 'the mails after the bad one');
  expect(status?.failures).toBe(0);
  const posted = await items(id);
  expect(posted.map((m) => m.title)).toEqual(['mail 20', 'broken', 'mail 21']);
  expect(posted[0]!.body).toMatch(/^This mail \(\d+ bytes\) is larger than 65536 bytes \(MAIL_MAX_BYTES\): it was not fetched/);
  expect(posted[1]!.body).toMatch(/^bad /);
});

it('reads a bomb of 1 000 mails in batches: every one posted once, in order', async () => {
  const id = await createImapSource(USERS[2]!);
  await eventually(statusOf(id), (s) => !!s?.last_success_at, 'the first (empty) run');
  await dovecot.deliver(USERS[2]!, Array.from({ length: 1000 }, (_, i) => rawMail(1000 + i)));
  // Posted one by one, each stored before the next: minutes on a loaded machine, hence the long wait.
  await eventually(statusOf(id), (s) => s?.items_posted === 1000, 'all 1 000 mails', 360_000);
  const posted = await items(id);
  expect(posted.map((m) => m.title)).toEqual(Array.from({ length: 1000 }, (_, i) => `mail ${1000 + i}`));
}, 180_000);

it('doubles nothing when the mailbox is recreated with a new UIDVALIDITY', async () => {
  const user = USERS[3]!;
  const admin = await dovecot.client(user);
  await admin.mailboxCreate('Flow');
  await admin.logout();
  await dovecot.deliver(user, [rawMail(31), rawMail(32)], 'Flow');
  const id = await createImapSource(user, 'Flow');
  await eventually(statusOf(id), (s) => s?.items_posted === 2, 'the first run');

  // Recreated: the same mails under new UIDs and a new UIDVALIDITY, and one new mail.
  const again = await dovecot.client(user);
  const uidValidity = async () => {
    const status = await again.status('Flow', { uidValidity: true });
    return status ? status.uidValidity : null;
  };
  const before = await uidValidity();
  const said = (step: string) => (err: { responseText?: string; message: string }) => {
    throw new Error(`${step}: ${err.responseText ?? err.message}`);
  };
  await again.mailboxDelete('Flow').catch(said('DELETE'));
  await again.mailboxCreate('Flow').catch(said('CREATE'));
  expect(await uidValidity()).not.toBe(before);
  await again.logout();
  await dovecot.deliver(user, [rawMail(31), rawMail(32), rawMail(33)], 'Flow');
  await eventually(statusOf(id), (s) => s?.items_posted === 5, 'the run after the change');
  // items_posted counts handled items; the two replays are the stored messages, not new ones.
  expect((await items(id)).map((m) => m.title)).toEqual(['mail 31', 'mail 32', 'mail 33']);
});

it('posts new mail as IDLE reports it, long before the next poll is due', async () => {
  const user = USERS[4]!;
  // Polled once an hour: only IDLE can bring the mail within the test.
  const id = await createImapSource(user, undefined, 3600);
  const first = await eventually(statusOf(id), (s) => !!s?.last_success_at, 'the first (empty) run');
  await dovecot.deliver(user, [rawMail(41)]);
  const after = await eventually(statusOf(id), (s) => s?.items_posted === 1, 'the mail, through IDLE');
  expect(new Date(after!.next_run_at!).getTime()).toBeGreaterThan(new Date(first!.last_run_at!).getTime() + 3000 * 1000);
  expect((await items(id)).map((m) => m.title)).toEqual(['mail 41']);
});
