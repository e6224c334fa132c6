/**
 * Mail out in `start all` through a real local SMTP relay (smtp-server): the durable outbox (an
 * invitation made while the relay is down is delivered once it is back, exactly once), and mention
 * mails — after the quiet delay, batched per user, skipped when read in time, with a signed
 * unsubscribe link that works (and refuses a tampered token), never twice for one mention with a
 * second worker or across a restart, and surviving a 1 000-member @everyone and odd or refused addresses.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import WebSocket from 'ws';
import { silentLog } from '../../core/log';
import { type RunningServices, startServices } from '../../cli/start';
import { eventually } from '../../test/support/feed-server';
import { type SmtpRelay, startSmtpRelay, type RelayedMail } from '../../test/support/smtp-relay';
import { api, type SeededUser, seedUser, startTestStack, type TestStack } from '../../test/support/stack';

const QUIET_S = 1;
let stack: TestStack;
let relay: SmtpRelay;
let relayPort: number;

/** A free port for the relay that is not up yet (the first test starts it there). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  relayPort = await freePort();
  stack = await startTestStack({
    env: {
      SMTP_RELAY_URL: `smtp://127.0.0.1:${relayPort}`, MAIL_FROM: 'Tributary <noreply@tributary.test>',
      SOURCE_SECRET_KEY: randomBytes(32).toString('base64'), PUBLIC_URL: 'https://chat.example.test',
      MENTION_QUIET_S: String(QUIET_S), MAIL_POLL_S: '0.1', MAIL_RETRY_MIN_S: '0.2', MAIL_RETRY_MAX_S: '0.4',
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await relay?.close();
});

const outboxTo = async (to: string) =>
  (await stack.db.pool.query<{ state: string; attempts: number; last_error: string | null }>('SELECT state, attempts, last_error FROM mail_outbox WHERE lower(recipient) = lower($1) ORDER BY id', [to])).rows;
const noticesOf = async (userId: number) =>
  (await stack.db.pool.query<{ message_id: string; state: string; outcome: string | null }>('SELECT message_id, state, outcome FROM mention_notices WHERE user_id = $1 ORDER BY message_id', [userId])).rows;
const mailsTo = (to: string): RelayedMail[] => relay.mails.filter((m) => m.to.includes(to.toLowerCase()));
/** Every notice of the user settled (mailed or skipped): nothing more can come for them. */
const settled = (userId: number, count: number) => eventually(() => noticesOf(userId), (rows) => rows.length === count && rows.every((r) => r.state !== 'pending'), `${count} settled notices of user ${userId}`);

/** Every mail to `to` in the outbox delivered. */
const allSent = (to: string) => eventually(() => outboxTo(to), (rows) => rows.length > 0 && rows.every((r) => r.state === 'sent'), `the mails to ${to} sent`);

/** A member of the flow (and the organization) of its own, so that tests do not batch into each other's mails. */
async function member(nick: string, email?: string): Promise<SeededUser> {
  const user = await seedUser(stack.directory, nick);
  if (email) await stack.db.pool.query('UPDATE users SET email = $2 WHERE id = $1', [user.id, email]);
  await stack.directory.addOrganizationMember(stack.org.id, user.id, false);
  await stack.directory.addFlowMember(stack.flow.id, user.id);
  return { ...user, email: email ?? user.email };
}

async function post(by: SeededUser, content: string): Promise<number> {
  const res = await api(stack, 'POST', `/flows/${stack.flow.path}/messages`, { auth: by.auth, body: { event: 'message', content } });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

/** The link in a mail, moved onto the test server (PUBLIC_URL names the public origin, not this one). */
function linkIn(mail: RelayedMail, path: RegExp): string {
  const m = new RegExp(`https://chat\\.example\\.test(${path.source})`).exec(mail.text);
  if (!m) throw new Error(`no ${path} link in: ${mail.text}`);
  return `${stack.url}${m[1]}`;
}

describe('the outbox', () => {
  it('answers an invitation 201 while the relay is down, and delivers its mail exactly once when the relay is back', async () => {
    const created = await api(stack, 'POST', `/flows/${stack.flow.path}/invitations`, { auth: stack.alice.auth, body: { email: 'later@example.test' } });
    expect(created.status).toBe(201);
    // The sender has tried and failed at least twice (backing off) before the relay comes up.
    const failing = await eventually(() => outboxTo('later@example.test'), (rows) => (rows[0]?.attempts ?? 0) >= 2, 'failed attempts');
    expect(failing[0]).toMatchObject({ state: 'pending', last_error: expect.stringMatching(/ECONNREFUSED/) });

    relay = await startSmtpRelay({ port: relayPort, refuses: (to) => to.endsWith('@refused.test') });
    const mail = await relay.mailTo('later@example.test');
    expect(mail.text).toContain('/join/');
    const sent = await eventually(() => outboxTo('later@example.test'), (rows) => rows[0]?.state === 'sent', 'the mail marked sent');
    expect(sent).toHaveLength(1);
    expect(mailsTo('later@example.test')).toHaveLength(1);
  });

  it('gives up at once on an address the relay refuses for good (550), recording the error and counting it', async () => {
    const refused = await member('refusee', 'nobody@refused.test');
    await post(stack.bob, `@refusee are you there?`);
    const rows = await eventually(() => outboxTo(refused.email), (r) => r[0]?.state === 'failed', 'the mail given up on');
    expect(rows[0]).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/550/) });
    const metrics = await fetch(`${stack.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^tributary_mail_failed_total [1-9]/m);
  });
});

describe('mention mails', () => {
  it('waits out the quiet delay, then mails flow, author, text and a link to the app, escaped in the HTML part', async () => {
    const dora = await member('dora');
    const postedAt = Date.now();
    await post(stack.bob, '@dora see <b>this</b> & that');
    const mail = await relay.mailTo(dora.email);
    expect(Date.now() - postedAt).toBeGreaterThanOrEqual(QUIET_S * 1000);
    expect(mail.text).toContain('Subject: Bob mentioned you in Acme / Main');
    expect(mail.text).toContain('> @dora see <b>this</b> & that');
    expect(mail.text).toContain(`https://chat.example.test/app/${stack.flow.path}`);
    expect(mail.text).toContain('@dora see &#60;b&#62;this&#60;/b&#62; &#38; that');
    expect(mail.text).toMatch(/^List-Unsubscribe:\s+<https:\/\/chat\.example\.test\/unsubscribe\/\d+\.[\w-]+>/m);
    expect(mail.text).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
  });

  it('batches every mention that piled up into one mail, and never mails the author their own mention', async () => {
    const ella = await member('ella');
    for (const n of [1, 2, 3]) await post(stack.bob, `@ella point ${n}`);
    await post(ella, '@ella talking to myself');
    const mail = await relay.mailTo(ella.email);
    await settled(ella.id, 3);
    expect(mailsTo(ella.email)).toHaveLength(1);
    for (const n of [1, 2, 3]) expect(mail.text).toContain(`@ella point ${n}`);
    expect(mail.text).not.toContain('talking to myself');
    expect(mail.text).toContain('Subject: You were mentioned 3 times on Tributary');
  });

  it('sends nothing for a mention read within the quiet delay', async () => {
    const finn = await member('finn');
    const id = await post(stack.bob, '@finn quick one');
    expect((await api(stack, 'PUT', `/flows/${stack.flow.path}/read`, { auth: finn.auth, body: { message_id: id } })).status).toBe(200);
    expect(await settled(finn.id, 1)).toEqual([{ message_id: String(id), state: 'skipped', outcome: 'read' }]);
    expect(mailsTo(finn.email)).toEqual([]);
  });

  it('waits while the mentioned person is active in the flow, and mails once they have been away for the quiet delay', async () => {
    const kim = await member('kim');
    const ws = new WebSocket(`${stack.url.replace('http', 'ws')}/stream/ws`, { headers: { authorization: kim.auth } });
    const frames: { type: string }[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(JSON.stringify({ type: 'subscribe', flows: [{ flow: stack.flow.path }] }));
      await eventually(async () => frames.some((f) => f.type === 'subscribed'), Boolean, 'subscribed');
      await post(stack.bob, '@kim while you are here');
      // Active in the flow (as the app reports it), from right after the post, until the mention is seen put off past its first due time.
      const active = () => ws.send(JSON.stringify({ type: 'presence', state: 'active' }));
      active();
      timer = setInterval(active, 100);
      const noticeTimes = async () => (await stack.db.pool.query<{ created_at: Date; due_at: Date }>('SELECT created_at, due_at FROM mention_notices WHERE user_id = $1', [kim.id])).rows[0];
      await eventually(noticeTimes, (n) => !!n && n.due_at.getTime() - n.created_at.getTime() > QUIET_S * 1000, 'the mention postponed');
      expect(mailsTo(kim.email)).toEqual([]);
    } finally {
      clearInterval(timer);
      ws.close();
    }
    expect((await relay.mailTo(kim.email)).text).toContain('@kim while you are here');
  });

  it('unsubscribes with the signed link (confirmation page, then one-click POST), refuses a tampered one, and turns back on with PUT /user', async () => {
    const gus = await member('gus');
    await post(stack.bob, '@gus first');
    const link = linkIn(await relay.mailTo(gus.email), /\/unsubscribe\/[\w.-]+/);

    const page = await fetch(link, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    const [id, signature] = link.split('/').at(-1)!.split('.') as [string, string];
    const tampered = await fetch(`${stack.url}/unsubscribe/${stack.alice.id}.${signature}`, { method: 'POST' });
    expect(tampered.status).toBe(403);
    expect((await tampered.json()).message).toMatch(/signature does not match/);
    const malformed = await fetch(`${stack.url}/unsubscribe/${id}.not-a-signature`);
    expect(malformed.status).toBe(400);
    expect((await api(stack, 'GET', '/user', { auth: stack.alice.auth })).body.mention_mails).toBe(true);

    const oneClick = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect((await api(stack, 'GET', '/user', { auth: gus.auth })).body.mention_mails).toBe(false);
    const second = await post(stack.bob, '@gus second');
    // Off: the mention is not even recorded, and no second mail comes (the first one's notice is all there is).
    const later = await member('gus_witness');
    await post(stack.bob, '@gus_witness after gus');
    await relay.mailTo(later.email);
    expect((await noticesOf(gus.id)).map((r) => Number(r.message_id))).not.toContain(second);
    expect(mailsTo(gus.email)).toHaveLength(1);

    const bad = await api(stack, 'PUT', '/user', { auth: gus.auth, body: { mention_mails: 'maybe' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty(['mention_mails']);
    const on = await api(stack, 'PUT', '/user', { auth: gus.auth, body: { mention_mails: true } });
    expect([on.status, on.body.mention_mails]).toEqual([200, true]);
    await post(stack.bob, '@gus third');
    await eventually(async () => mailsTo(gus.email).length, (n) => n === 2, 'a mention mail again');
  });

  it('a second worker running beside the first never mails a mention twice', async () => {
    const hal = await member('hal');
    await post(stack.bob, '@hal before the second worker');
    await relay.mailTo(hal.email);
    let second: RunningServices | null = await startServices('integrations', { ...stack.config, PORT: 0 }, silentLog());
    try {
      const ivy = await member('ivy');
      for (const n of [1, 2, 3, 4]) await post(stack.bob, `@ivy and @hal, round ${n}`);
      await settled(ivy.id, 4);
      await settled(hal.id, 5);
      for (const who of [ivy, hal]) await allSent(who.email);
      expect(mailsTo(ivy.email).length).toBeGreaterThanOrEqual(1);
      // Each mention in exactly one mail, whichever worker sent it.
      for (const n of [1, 2, 3, 4]) expect(mailsTo(ivy.email).filter((m) => m.text.includes(`round ${n}`))).toHaveLength(1);
      expect(mailsTo(hal.email).filter((m) => m.text.includes('before the second worker'))).toHaveLength(1);
      await second.stop();
      second = null;
    } finally {
      await second?.stop();
    }
  });

  it('survives an @everyone in a flow of 1 000 members and an odd address', async () => {
    const odd = await member('odd', "o'hara+mentions@example.test");
    // 1 000 more members, made in SQL (scrypt for each would be minutes); all with mails off, so that the test sends few mails.
    const { rows } = await stack.db.pool.query<{ id: string }>(
      `INSERT INTO users (email, name, nick, password_hash) SELECT 'crowd' || i || '@example.test', 'Crowd ' || i, 'crowd' || i, 'x' FROM generate_series(1, 1000) i RETURNING id`,
    );
    const ids = rows.map((r) => Number(r.id));
    await stack.db.pool.query('INSERT INTO organization_members (organization_id, user_id) SELECT $1, unnest($2::bigint[])', [stack.org.id, ids]);
    await stack.db.pool.query('INSERT INTO flow_members (flow_id, user_id) SELECT $1, unnest($2::bigint[])', [stack.flow.id, ids]);
    await stack.db.pool.query('INSERT INTO mention_mail_optouts (user_id) SELECT unnest($1::bigint[])', [ids]);
    const id = await post(stack.bob, '@everyone hello crowd');
    const stored = await api(stack, 'GET', `/flows/${stack.flow.path}/messages/${id}`, { auth: stack.bob.auth });
    expect(stored.body.tags).toEqual(expect.arrayContaining([`:unread:${ids[0]}`, `:unread:${ids[999]}`, `:unread:${odd.id}`]));
    const mail = await relay.mailTo(odd.email);
    expect(mail.text).toContain('hello crowd');
    expect(mail.to).toEqual(["o'hara+mentions@example.test"]);
    const { rows: [count] } = await stack.db.pool.query<{ n: string }>('SELECT count(*) AS n FROM mention_notices WHERE message_id = $1 AND user_id = ANY($2::bigint[])', [id, ids]);
    expect(Number(count!.n)).toBe(0);
    // The shard is not stalled: the next post is stored as ever.
    expect(await post(stack.alice, 'after the crowd')).toBe(id + 1);
  });
});

describe('a restarted mail worker', () => {
  it('sends what came due while it was down, and nothing it had sent before', async () => {
    // Full mode, one service per process as in production: the REST API, a backend, and one integrations worker to restart.
    const ownRelay = await startSmtpRelay();
    const own = await startTestStack({
      service: 'web-api',
      env: { SMTP_RELAY_URL: ownRelay.url, SOURCE_SECRET_KEY: randomBytes(32).toString('base64'), MENTION_QUIET_S: String(QUIET_S), MAIL_POLL_S: '0.1' },
    });
    const mailsAbout = (text: string) => ownRelay.mails.filter((m) => m.to.includes(own.alice.email) && m.text.includes(text));
    const backend = await startServices('message-backend', { ...own.config, PORT: 0 }, silentLog());
    let worker: RunningServices | null = await startServices('integrations', { ...own.config, PORT: 0 }, silentLog());
    const mention = async (content: string) => {
      const res = await api(own, 'POST', `/flows/${own.flow.path}/messages`, { auth: own.bob.auth, body: { event: 'message', content } });
      expect(res.status).toBe(201);
    };
    try {
      await mention('@alice before the restart');
      await eventually(async () => mailsAbout('before the restart').length, (n) => n === 1, 'the first mail');
      await worker.stop();
      worker = null;
      await mention('@alice while the worker is down');
      worker = await startServices('integrations', { ...own.config, PORT: 0 }, silentLog());
      await eventually(async () => mailsAbout('while the worker is down').length, (n) => n === 1, 'the second mail');
      const { rows } = await own.db.pool.query<{ state: string }>('SELECT state FROM mail_outbox ORDER BY id');
      expect(rows.map((r) => r.state)).toEqual(['sent', 'sent']);
      expect(mailsAbout('before the restart')).toHaveLength(1);
    } finally {
      await worker?.stop();
      await backend.stop();
      await own.stop();
      await ownRelay.close();
    }
  });
});

