/**
 * The IRC gateway end to end: a whole Tributary (real Postgres and Redis) with IRC_PORT set,
 * driven by irc-framework and by raw sockets over TCP, beside REST users.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { api, seedUser, type SeededUser, startTestStack, type TestStack } from '../../test/support/stack';
import { FrameworkClient, RawClient, waitFor } from '../../test/support/irc-clients';

let stack: TestStack;
let ircPort: number;
let ircTlsPort: number;
const certDir = mkdtempSync(join(tmpdir(), 'irc-tls-'));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  ircPort = await freePort();
  ircTlsPort = await freePort();
  // A throwaway self-signed certificate for the TLS listener.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
  stack = await startTestStack({
    env: { IRC_PORT: String(ircPort), IRC_TLS_PORT: String(ircTlsPort), IRC_TLS_CERT: join(certDir, 'cert.pem'), IRC_TLS_KEY: join(certDir, 'key.pem'), LOGIN_MAX_FAILURES: '3' },
  });
});
afterAll(async () => {
  for (const c of open) c.quit();
  await stack.stop();
  rmSync(certDir, { recursive: true, force: true });
});

const open: FrameworkClient[] = [];
let flowCount = 0;

/** New users in the stack's organization (alice, its admin, adds them) and a new flow they all joined. */
async function seedFlow(...nicks: string[]): Promise<{ users: SeededUser[]; flowId: string; path: string; channel: string }> {
  const n = ++flowCount;
  const users: SeededUser[] = [];
  const flow = await stack.directory.createFlow(stack.org.id, `Room ${n}`);
  for (const nick of nicks) {
    const user = await seedUser(stack.directory, `${nick}${n}`);
    await stack.directory.addOrganizationMember(stack.org.id, user.id, false);
    await stack.directory.addFlowMember(flow.id, user.id);
    users.push(user);
  }
  await stack.directory.addFlowMember(flow.id, stack.alice.id);
  const path = `${stack.org.name}/${flow.parameterizedName}`;
  return { users, flowId: flow.id, path, channel: `#${path}` };
}

async function irc(user: SeededUser, options: { echo?: boolean; password?: string } = {}): Promise<FrameworkClient> {
  const client = new FrameworkClient(ircPort, { nick: user.nick, password: options.password ?? `${user.email} ${user.password}`, echo: options.echo });
  open.push(client);
  await client.registered;
  return client;
}

/** Polls REST (as alice) until the flow holds a message of `event` with `content`. */
async function restMessage(path: string, event: string, content: string): Promise<{ user: string; uuid: string; id: number }> {
  for (let i = 0; i < 400; i++) {
    const res = await api(stack, 'GET', `/flows/${path}/messages?event=${event}`, { auth: stack.alice.auth });
    const found = res.body.find((m: { content: string }) => m.content === content);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${event} "${content}" in ${path}`);
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('IRC login', () => {
  test('PASS "<email> <password>", "<email>:<password>" and an API token log in; open flows are joined with their topic and names', async () => {
    const { users: [u, v], channel } = await seedFlow('login', 'peer');
    for (const password of [`${u!.email} ${u!.password}`, `${u!.email}:${u!.password}`, u!.token]) {
      const client = await irc(u!, { password });
      await client.line(new RegExp(`^:\\S+ 001 ${u!.nick} `));
      await client.line(new RegExp(`JOIN ${escapeRegex(channel)}$`));
      expect(await client.line(new RegExp(` 332 ${u!.nick} ${escapeRegex(channel)} `))).toMatch(/:Room \d+ \(Acme\)$/);
      const names = await client.line(new RegExp(` 353 ${u!.nick} = ${escapeRegex(channel)} `));
      expect(names.split(':').at(-1)!.split(' ').sort()).toEqual([u!.nick, v!.nick, 'alice'].sort());
      client.quit();
    }
  });

  test('IRC_TLS_PORT speaks the same protocol over TLS', async () => {
    const { users: [u], channel } = await seedFlow('tls');
    const socket = tlsConnect({ host: '127.0.0.1', port: ircTlsPort, rejectUnauthorized: false });
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    socket.write(`PASS ${u!.token}\r\nNICK ${u!.nick}\r\nUSER ${u!.nick} 0 * :TLS\r\n`);
    await waitFor(() => text.includes(` 366 ${u!.nick} ${channel} `), 'the channel joined over TLS');
    expect(socket.getPeerCertificate().subject?.CN).toBe('127.0.0.1');
    socket.destroy();
  });

  test('SASL PLAIN logs in without PASS', async () => {
    const { users: [u] } = await seedFlow('sasl');
    const client = new FrameworkClient(ircPort, { nick: u!.nick, account: { account: u!.email, password: u!.password } });
    open.push(client);
    await client.registered;
    expect(client.has(/ 903 /)).toBeDefined();
  });

  test('a wrong password gets 464 and the link is closed; after LOGIN_MAX_FAILURES the right one is locked out too', async () => {
    const { users: [u] } = await seedFlow('wrongpw');
    for (let i = 0; i < 3; i++) {
      const bad = new FrameworkClient(ircPort, { nick: u!.nick, password: `${u!.email} not-the-password` });
      await expect(bad.registered).rejects.toThrow(/closed before registering/);
      expect(bad.has(/ 464 \S+ :Password incorrect/)).toBeDefined();
    }
    const locked = new FrameworkClient(ircPort, { nick: u!.nick, password: `${u!.email} ${u!.password}` });
    await expect(locked.registered).rejects.toThrow(/closed before registering/);
    expect(locked.has(/ 464 \S+ :Too many failed logins/)).toBeDefined();
  });
});

describe('IRC messages', () => {
  test('PRIVMSG reaches REST users as a message, and a REST post reaches IRC as a server-time tagged PRIVMSG; /me is a status', async () => {
    const { users: [u], channel, path } = await seedFlow('chat');
    const client = await irc(u!);
    await client.line(/ 366 /);
    client.client.say(channel, 'hello from irc');
    const found = await restMessage(path, 'message', 'hello from irc');
    expect(found).toMatchObject({ user: String(u!.id) });
    expect(found.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const posted = await api(stack, 'POST', `/flows/${path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: 'hello from rest' } });
    expect(posted.status).toBe(201);
    const line = await client.line(/PRIVMSG \S+ :hello from rest$/);
    expect(line).toMatch(new RegExp(`^@time=${escapeRegex(new Date(posted.body.sent).toISOString())}\\S* :alice!u${stack.alice.id}@tributary PRIVMSG ${escapeRegex(channel)} :hello from rest$`));
    client.client.action(channel, 'waves');
    expect(await restMessage(path, 'status', 'waves')).toMatchObject({ user: String(u!.id) });
  });
});

describe('IRC echo, presence and queries', () => {
  test('echo-message: the own message comes back only to a client that asked for it', async () => {
    const { users: [u, v], channel, path } = await seedFlow('echo', 'noecho');
    const withEcho = await irc(u!, { echo: true });
    const without = await irc(v!);
    await withEcho.line(/ 366 /);
    await without.line(/ 366 /);
    withEcho.client.say(channel, 'echoed');
    await restMessage(path, 'message', 'echoed');
    without.client.say(channel, 'not echoed');
    await restMessage(path, 'message', 'not echoed');
    // A later message from someone else arrives after anything of the client's own would have.
    await api(stack, 'POST', `/flows/${path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: 'marker' } });
    await withEcho.line(/:marker$/);
    await without.line(/:marker$/);
    expect(withEcho.all(/PRIVMSG \S+ :(echoed|not echoed)$/).map((l) => l.split(' :').at(-1))).toEqual(['echoed', 'not echoed']);
    expect(without.all(/PRIVMSG \S+ :(echoed|not echoed)$/).map((l) => l.split(' :').at(-1))).toEqual(['echoed']);
  });

  test('NAMES lists the members; WHO marks the active ones H and the others G (away)', async () => {
    const { users: [u, v], channel } = await seedFlow('names', 'idle');
    const client = await irc(u!);
    await client.line(/ 366 /);
    client.client.raw(`NAMES ${channel}`);
    await waitFor(() => client.all(/ 366 /).length === 2, 'second 366');
    const names = client.all(new RegExp(` 353 ${u!.nick} = ${escapeRegex(channel)} `)).at(-1)!;
    expect(names.split(':').at(-1)!.split(' ').sort()).toEqual([u!.nick, v!.nick, 'alice'].sort());
    client.client.raw(`WHO ${channel}`);
    await client.line(/ 315 /);
    const who = Object.fromEntries(client.all(/ 352 /).map((l) => { const p = l.split(' '); return [p[7], p[8]]; }));
    // The IRC client itself is active (it logged in); v never connected.
    expect(who).toEqual({ [u!.nick]: 'H', [v!.nick]: 'G', alice: 'G' });
  });

  test('PRIVMSG to a nick is a private message, both ways', async () => {
    const { users: [u, v] } = await seedFlow('query', 'queried');
    const a = await irc(u!);
    const b = await irc(v!);
    a.client.say(v!.nick, 'psst');
    expect(await b.line(/PRIVMSG \S+ :psst$/)).toMatch(new RegExp(`:${u!.nick}!u${u!.id}@tributary PRIVMSG ${v!.nick} :psst$`));
    const stored = await api(stack, 'GET', `/private/${u!.id}/messages`, { auth: v!.auth });
    expect(stored.body.map((m: { content: string }) => m.content)).toEqual(['psst']);
    await api(stack, 'POST', `/private/${u!.id}/messages`, { auth: v!.auth, body: { event: 'message', content: 'over rest' } });
    expect(await a.line(/:over rest$/)).toMatch(new RegExp(`:${v!.nick}!u${v!.id}@tributary PRIVMSG ${u!.nick} :over rest$`));
    a.client.say('nobody-here', 'hello?');
    await a.line(/ 401 \S+ nobody-here /);
  });
});

describe('IRC access and resume', () => {
  test('a user blocked in a flow parts its channel at once and gets nothing more of it', async () => {
    const { users: [u], channel, path } = await seedFlow('blocked');
    const client = await irc(u!);
    await client.line(/ 366 /);
    const blocked = await api(stack, 'PUT', `/flows/${path}/users/${u!.id}`, { auth: stack.alice.auth, body: { disabled: true } });
    expect(blocked.status).toBe(200);
    await client.line(new RegExp(`PART ${escapeRegex(channel)} :access revoked$`));
    await api(stack, 'POST', `/flows/${path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: 'after the block' } });
    client.client.say(channel, 'still here?');
    await client.line(/ 403 \S+ \S+ :No such channel/);
    expect(client.has(/after the block/)).toBeUndefined();
  });

  test('a client that reconnects gets what it missed in its channels, once each, server-time tagged', async () => {
    const { users: [u], channel, path } = await seedFlow('resume');
    const first = await irc(u!);
    await first.line(/ 366 /);
    await api(stack, 'POST', `/flows/${path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: 'seen 1' } });
    await first.line(/:seen 1$/);
    first.quit();
    await waitFor(() => first.closed, 'first client closed');
    const missed: { sent: number }[] = [];
    for (let i = 1; i <= 5; i++) missed.push((await api(stack, 'POST', `/flows/${path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: `missed ${i}` } })).body);
    const second = await irc(u!);
    await second.line(/:missed 5$/);
    await api(stack, 'POST', `/flows/${path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: 'live 1' } });
    await second.line(/:live 1$/);
    const texts = second.all(new RegExp(`PRIVMSG ${escapeRegex(channel)} :`)).map((l) => l.split(' :').at(-1));
    expect(texts).toEqual(['missed 1', 'missed 2', 'missed 3', 'missed 4', 'missed 5', 'live 1']);
    expect(second.has(/:missed 1$/)).toMatch(new RegExp(`^@time=${escapeRegex(new Date(missed[0]!.sent).toISOString())}`));
  });
});

describe('IRC bad input', () => {
  test('NUL, invalid UTF-8, a 600-byte line and a 1000-line flood get error replies; other clients are not held up', async () => {
    const { users: [u, v], channel, path } = await seedFlow('raw', 'bystander');
    const bystander = await irc(v!);
    await bystander.line(/ 366 /);
    const raw = new RawClient(ircPort);
    raw.send(`PASS ${u!.email} ${u!.password}\r\nNICK ${u!.nick}\r\nUSER ${u!.nick} 0 * :Raw\r\n`);
    await raw.line(/ 366 /);
    raw.send(Buffer.concat([Buffer.from(`PRIVMSG ${channel} :nul`), Buffer.from([0]), Buffer.from('here\r\n')]));
    await raw.line(/^:\S+ FAIL PRIVMSG INVALID_TEXT :/);
    raw.send(Buffer.concat([Buffer.from(`PRIVMSG ${channel} :bad `), Buffer.from([0xc3, 0x28]), Buffer.from('\r\n')]));
    await raw.line(/^:\S+ FAIL PRIVMSG INVALID_UTF8 :/);
    raw.send(`PRIVMSG ${channel} :${'x'.repeat(600)}\r\n`);
    await raw.line(/ 417 /);
    const started = Date.now();
    raw.send(Array.from({ length: 1000 }, (_, i) => `PRIVMSG ${channel} :flood ${i}\r\n`).join(''));
    await raw.line(/ FAIL PRIVMSG FLOOD :/);
    // While the flood is handled, another user's message still reaches the bystander.
    await api(stack, 'POST', `/flows/${path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: 'during the flood' } });
    await bystander.line(/:during the flood$/, 20_000);
    console.log(`bystander got a message ${Date.now() - started} ms after a 1000-line flood started`);
    raw.send('PING :still-alive\r\n');
    await raw.line(/PONG \S+ :?still-alive$/, 60_000);
    const dropped = raw.all(/ FAIL PRIVMSG FLOOD /).length;
    const posted = bystander.all(/:flood \d+$/).length;
    console.log(`flood: ${dropped} lines refused, ${posted} posted`);
    expect(dropped).toBeGreaterThan(0);
    expect(dropped + posted).toBeLessThanOrEqual(1000);
    expect(raw.closed).toBe(false);
    // None of the bad lines was posted.
    expect(bystander.has(/:(nul|bad |xxxx)/)).toBeUndefined();
    raw.socket.destroy();
  });
  test('malformed and unknown lines, a thousand JOINs and a nick flood are each answered or refused, and the link and the others carry on', async () => {
    const { users: [u, v], channel, path } = await seedFlow('joiner', 'watcher');
    const watcher = await irc(v!);
    await watcher.line(/ 366 /);
    const raw = new RawClient(ircPort);
    raw.send(`PASS ${u!.email} ${u!.password}\r\nNICK ${u!.nick}\r\nUSER ${u!.nick} 0 * :Raw\r\n`);
    await raw.line(/ 366 /);
    raw.send(`\r\n   \r\n:only.a.prefix\r\nFROBNICATE now\r\nPRIVMSG\r\nPRIVMSG ${channel}\r\nJOIN\r\nPART\r\n`);
    await raw.line(/ 421 \S+ FROBNICATE :/);
    await raw.line(/ 411 /);
    await raw.line(/ 412 /);
    await raw.line(/ 461 \S+ JOIN :/);
    await raw.line(/ 461 \S+ PART :/);

    // A thousand JOINs of flows that do not exist, a hundred per write (as many as may wait), each
    // write once the last was answered: every one is refused, none joins anything.
    for (let round = 0; round < 10; round++) {
      raw.send(Array.from({ length: 100 }, (_, i) => `JOIN #nowhere/flow-${round * 100 + i}\r\n`).join(''));
      await raw.line(new RegExp(` 403 \\S+ #nowhere/flow-${round * 100 + 99} `), 30_000);
    }
    expect(raw.all(/ 403 \S+ #nowhere\//)).toHaveLength(1000);
    expect(raw.has(/ JOIN :?#nowhere/)).toBeUndefined();

    // A nick flood, the same way: a Tributary nick is the profile's, so every NICK is refused.
    for (let round = 0; round < 10; round++) {
      raw.send(Array.from({ length: 100 }, (_, i) => `NICK flood${round * 100 + i}\r\n`).join(''));
      await waitFor(() => raw.all(/ FAIL NICK NOT_SUPPORTED /).length >= (round + 1) * 100, `the refusals of NICK round ${round}`, 30_000);
    }
    expect(raw.all(/ FAIL NICK NOT_SUPPORTED /)).toHaveLength(1000);
    expect(raw.has(/ NICK :?flood/)).toBeUndefined();
    expect(watcher.has(/ NICK :?flood/)).toBeUndefined();

    // Still logged in as itself, and the others were not held up.
    raw.send(`PRIVMSG ${channel} :still here\r\n`);
    await watcher.line(new RegExp(`:${u!.nick}!\\S+ PRIVMSG ${escapeRegex(channel)} :still here$`));
    await api(stack, 'POST', `/flows/${path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: 'after the floods' } });
    await raw.line(/:after the floods$/);
    expect(raw.closed).toBe(false);
    raw.socket.destroy();
  }, 120_000);

  test('a client that sends PINGs before logging in and never reads is cut, not buffered without bound', async () => {
    const socket = new RawClient(ircPort).socket;
    socket.pause(); // never reads a reply
    const chunk = Buffer.from(`PING ${'x'.repeat(500)}\r\n`.repeat(2000)); // about 1 MB of PINGs, as many bytes of PONG
    const cap = 256 * 1024 * 1024;
    let sent = 0;
    let closed = false;
    socket.once('close', () => void (closed = true));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    while (!closed && sent < cap) {
      sent += chunk.length;
      if (!socket.write(chunk)) await new Promise((r) => { socket.once('drain', r); socket.once('close', r); });
    }
    console.log(`pre-login PING flood: ${(sent / 1e6).toFixed(1)} MB written, link closed by the gateway: ${closed}`);
    expect(closed).toBe(true);
    expect(sent).toBeLessThan(cap);
    socket.destroy();
  });

  test('a rename is a new topic; a change that keeps the name (access mode, join link) is none', async () => {
    const { users: [member], channel, path } = await seedFlow('topics');
    const client = await irc(member!);
    await client.line(/ 366 /);
    expect((await api(stack, 'PUT', `/flows/${path}`, { auth: member!.auth, body: { access_mode: 'link' } })).status).toBe(200);
    expect((await api(stack, 'POST', `/flows/${path}/join_url`, { auth: member!.auth })).status).toBe(201);
    expect((await api(stack, 'PUT', `/flows/${path}`, { auth: member!.auth, body: { name: 'Topics' } })).status).toBe(200);
    await client.line(/ TOPIC /);
    // Events of one flow arrive in order: had the first two made a TOPIC, it would be here by now.
    const topics = client.all(/ TOPIC /);
    expect(topics).toHaveLength(1);
    expect(topics[0]).toMatch(new RegExp(` TOPIC ${escapeRegex(channel)} :Topics \\(Acme\\)$`));
  });

  test('a flow name or display name holding CRLF cannot put a line of its own into another client\'s stream', async () => {
    const { users: [attacker, victim], channel, path } = await seedFlow('mallory', 'victim');
    const client = await irc(victim!);
    await client.line(/ 366 /);
    const injected = `:${victim!.nick}!u${victim!.id}@tributary PRIVMSG ${channel} :spoofed`;
    await api(stack, 'PUT', `/flows/${path}`, { auth: attacker!.auth, body: { name: `Room\r\n${injected}\r\nX` } });
    await client.line(/ TOPIC /);
    await api(stack, 'PUT', `/users/${attacker!.id}`, { auth: attacker!.auth, body: { name: `Mallory\r\n${injected}` } });
    client.client.raw(`WHO ${channel}`);
    await client.line(/ 315 /);
    expect(client.has(/^:\S+ PRIVMSG \S+ :spoofed$/)).toBeUndefined();
    expect(client.has(/ TOPIC \S+ :Room :\S+ PRIVMSG \S+ :spoofed X \(/)).toBeDefined();
  });
});
