/**
 * The SMTP receiver of flows' addresses, started by `tributary start integrations` with SMTP_PORT
 * set, against the real write path (Postgres, Redis, the message backend): what a mail becomes,
 * refusals at RCPT and DATA, 250 only once stored (451 while the backend is down), no doubles, bad
 * bytes, and a bomb of 1 000 mails.
 */
import { type RunningServices, startServices } from '../../cli/start';
import { silentLog } from '../../core/log';
import { freePort } from '../../infra/process/service-readiness';
import { RawSmtp, smtpTransport } from '../../test/support/smtp-client';
import { api, startTestStack, type TestStack } from '../../test/support/stack';

const DOMAIN = 'mail.test';
const MAX_BYTES = 256 * 1024;
let stack: TestStack;
let backend: RunningServices;
let integrations: RunningServices;
let port: number;
let address: string;

beforeAll(async () => {
  port = await freePort();
  stack = await startTestStack({
    service: 'web-api',
    env: { SMTP_PORT: String(port), MAIL_DOMAIN: DOMAIN, MAIL_MAX_BYTES: String(MAX_BYTES), FILE_MAX_BYTES: String(64 * 1024), PERSIST_TIMEOUT_MS: '1500' },
  });
  backend = await startServices('message-backend', stack.config, silentLog());
  integrations = await startServices('integrations', stack.config, silentLog());
  address = `main@${stack.org.name}.${DOMAIN}`;
}, 60_000);

afterAll(async () => {
  await integrations?.stop();
  await backend?.stop();
  await stack?.stop();
});

type Item = { id: number; event: string; uuid: string; title: string; body?: string; thread_id: string; author: { name: string; email: string }; attachments: { path: string; file_name: string }[]; thread?: { title: string } };

async function discussions(): Promise<Item[]> {
  const res = await api(stack, 'GET', `/flows/${stack.flow.path}/messages?event=discussion&limit=100&sort=asc`, { auth: stack.alice.auth });
  expect(res.status).toBe(200);
  return res.body as Item[];
}

const storedCount = async (): Promise<number> =>
  Number((await stack.db.pool.query<{ n: string }>("SELECT count(*) AS n FROM messages WHERE conversation = $1 AND event = 'discussion'", [stack.flow.id])).rows[0]!.n);

it("shows the flow's address as its email", async () => {
  const res = await api(stack, 'GET', `/flows/${stack.flow.path}`, { auth: stack.alice.auth });
  expect(res.body.email).toBe(address);
});

it('turns a mail into an inbox item with its sender, subject, text (HTML reduced to text) and attachments; a reply joins its thread', async () => {
  const smtp = smtpTransport(port);
  const sent = await smtp.sendMail({
    from: 'Ann Sender <ann@outside.test>', to: address, subject: 'Build failed', messageId: '<build-1@outside.test>',
    html: '<p>The <b>build</b> failed.</p><script>alert("x")</script>',
    attachments: [{ filename: 'log.txt', content: 'line 1\nline 2\n' }],
  });
  expect(sent.response).toMatch(/^250 2\.0\.0 stored as message \d+$/);
  const reply = await smtp.sendMail({
    from: 'bob@outside.test', to: address.toUpperCase(), subject: 'Re: Build failed', text: 'Fixed it.',
    messageId: '<build-2@outside.test>', inReplyTo: '<build-1@outside.test>', references: ['<build-1@outside.test>'],
  });
  expect(reply.response).toMatch(/^250 /);
  smtp.close();

  const [first, second] = (await discussions()).filter((m) => m.title.endsWith('Build failed'));
  expect(first).toMatchObject({ title: 'Build failed', author: { name: 'Ann Sender', email: 'ann@outside.test' }, thread: { title: 'Build failed' } });
  expect(first!.body).toContain('The build failed.');
  expect(first!.body).not.toMatch(/<|alert/);
  expect(first!.attachments.map((a) => a.file_name)).toEqual(['log.txt']);
  const file = await fetch(`${stack.url}${first!.attachments[0]!.path}`, { headers: { authorization: stack.alice.auth } });
  expect(await file.text()).toBe('line 1\nline 2\n');
  expect(second).toMatchObject({ title: 'Re: Build failed', body: 'Fixed it.', author: { email: 'bob@outside.test' } });
  expect(second!.thread_id).toBe(first!.thread_id);
});

it('refuses unknown and malformed addresses at RCPT time, with 550', async () => {
  const raw = await RawSmtp.open(port);
  await raw.command('EHLO client.test');
  await raw.command('MAIL FROM:<a@outside.test>');
  expect(await raw.command(`RCPT TO:<nope@${stack.org.name}.${DOMAIN}>`)).toMatch(/^550 5\.1\.1 .*no such flow address/);
  expect(await raw.command(`RCPT TO:<main@other-org.${DOMAIN}>`)).toMatch(/^550 5\.1\.1 /);
  expect(await raw.command('RCPT TO:<main@acme.elsewhere.test>')).toMatch(/^550 5\.1\.1 .*not a flow address of mail\.test/);
  expect(await raw.command(`RCPT TO:<${address}>`)).toMatch(/^250 /);
  await raw.close();
});

it('refuses a mail past MAIL_MAX_BYTES with 552 and stores nothing of it', async () => {
  const before = await storedCount();
  const smtp = smtpTransport(port);
  await expect(smtp.sendMail({ from: 'a@outside.test', to: address, subject: 'huge', text: 'x'.repeat(MAX_BYTES + 1000) })).rejects.toMatchObject({ responseCode: 552 });
  smtp.close();
  expect(await storedCount()).toBe(before);
});

it('stores bad bytes as storable text: invalid UTF-8, an unknown charset, NUL, broken MIME', async () => {
  const raw = await RawSmtp.open(port);
  await raw.command('EHLO client.test');
  const mail = Buffer.concat([
    Buffer.from('From: =?x-nonsense?Q?caf=E9?= <c@outside.test>\r\nSubject: broken \xff\xfe bytes\r\nMessage-ID: <broken-1@outside.test>\r\n', 'latin1'),
    Buffer.from('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="never-closed"\r\n\r\n--never-closed\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n'),
    Buffer.from('aGVsbG8g/w==\r\n'), // "hello " and 0xff: not UTF-8
    Buffer.from([0x00, 0xc3, 0x28, 0x0d, 0x0a]),
  ]);
  expect(await raw.send('c@outside.test', address, mail)).toMatch(/^250 /);
  await raw.close();
  const item = (await discussions()).find((m) => m.title.startsWith('broken'));
  expect(item).toBeDefined();
  expect(item!.body).toMatch(/^hello /);
  expect(JSON.stringify(item)).not.toContain('\\u0000');
});

it('answers 451 while the mail cannot be stored, and a retry then stores it once', async () => {
  await backend.stop();
  const smtp = smtpTransport(port);
  const mail = { from: 'a@outside.test', to: address, subject: 'while down', text: 'retry me', messageId: '<down-1@outside.test>' };
  await expect(smtp.sendMail(mail)).rejects.toMatchObject({ responseCode: 451 });
  backend = await startServices('message-backend', stack.config, silentLog());
  const first = await smtp.sendMail(mail);
  const again = await smtp.sendMail(mail);
  smtp.close();
  expect(again.response).toBe(first.response);
  expect((await discussions()).filter((m) => m.title === 'while down')).toHaveLength(1);
});

it('survives a bomb of 1 000 mails, sent twice: 1 000 items, none lost, none doubled', async () => {
  const before = await storedCount();
  const smtp = smtpTransport(port, true);
  const send = () => Promise.all(Array.from({ length: 1000 }, (_, i) => smtp.sendMail({ from: 'bomb@outside.test', to: address, subject: `bomb ${i}`, text: `mail ${i}`, messageId: `<bomb-${i}@outside.test>` })));
  const replies = await send();
  expect(replies.every((r) => r.response?.startsWith('250 '))).toBe(true);
  const again = await send();
  expect(again.map((r) => r.response)).toEqual(replies.map((r) => r.response));
  smtp.close();
  expect(await storedCount()).toBe(before + 1000);
  const ids = new Set(replies.map((r) => r.response));
  expect(ids.size).toBe(1000);
}, 120_000);
