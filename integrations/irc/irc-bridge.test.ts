/**
 * The IRC bridge end to end: a whole Tributary (real Postgres and Redis), an `irc` source whose
 * bridge runs through the minimal runner, and ngircd converged by the project's cookbook, with
 * irc-framework clients as the channel's IRC users and REST as the flow's.
 */
import { randomBytes } from 'node:crypto';
import { hashFlowToken } from '../../core/auth/flow-tokens';
import type { Source } from '../../core/domain/source';
import { type RunningServices, startServices } from '../../cli/start';
import { silentLog } from '../../core/log';
import { FrameworkClient, waitFor } from '../../test/support/irc-clients';
import { loopbackOutbound, startNgircd, type TestNgircd } from '../../test/support/ngircd';
import { api, startTestStack, type TestStack } from '../../test/support/stack';
import type { IrcBridge, IrcBridgeStatus } from './irc-bridge';
import { openBridgeParts, runIrcBridge } from './irc-runner';

const CHANNEL = '#team';
/** The bridge's first reconnect wait, a tenth of production's 1 s, so the backoff grows within a second (CI time). */
const RECONNECT_MIN_MS = 100;
let stack: TestStack;
let backend: RunningServices;
let ngircd: TestNgircd;
let bridgeParts: Awaited<ReturnType<typeof openBridgeParts>>;
let bridge: IrcBridge;
let source: Source;
const statuses: IrcBridgeStatus[] = [];
const open: FrameworkClient[] = [];

const latest = (): IrcBridgeStatus | undefined => statuses[statuses.length - 1];

/** An IRC user in the bridged channel. */
async function ircUser(nick: string): Promise<FrameworkClient> {
  const user = new FrameworkClient(ngircd.port, { nick });
  open.push(user);
  await user.registered;
  user.client.join(CHANNEL);
  await user.line(new RegExp(`^:${nick}!\\S+ JOIN :?${CHANNEL}$`));
  return user;
}

async function postToFlow(content: string): Promise<void> {
  const res = await api(stack, 'POST', `/flows/${stack.flow.path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content } });
  expect(res.status).toBe(201);
}

interface FlowMessage { content: string; external_user_name?: string; source_id?: number; user: string; tags: string[] }

async function flowMessages(): Promise<FlowMessage[]> {
  const res = await api(stack, 'GET', `/flows/${stack.flow.path}/messages?event=message&limit=100`, { auth: stack.alice.auth });
  return res.body;
}


/** waitFor with an async check. */
async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The texts the bridge sent to the channel, as an IRC user saw them. */
const relayed = (user: FrameworkClient): string[] =>
  user.all(new RegExp(`^:tributary!\\S+ PRIVMSG ${CHANNEL} :`)).map((l) => l.slice(l.indexOf(` PRIVMSG ${CHANNEL} :`) + ` PRIVMSG ${CHANNEL} :`.length));

beforeAll(async () => {
  ngircd = await startNgircd();
  // Without the integrations service: it would run this irc source too, beside the bridge under test.
  stack = await startTestStack({ service: 'web-api' });
  backend = await startServices('message-backend', stack.config, silentLog());
  bridgeParts = await openBridgeParts(stack.config, silentLog());
  const created = await stack.directory.sources.createSource({ flowId: stack.flow.id, creatorId: stack.alice.id, name: 'IRC #team', externalUrl: null }, hashFlowToken(randomBytes(32).toString('hex')));
  const config = { server: '127.0.0.1', port: ngircd.port, tls: false, channel: CHANNEL, nick: 'tributary', flood: { burst: 4, interval_ms: 300 } };
  await stack.db.pool.query('UPDATE sources SET type = $1, config = $2 WHERE id = $3', ['irc', JSON.stringify(config), created.id]);
  source = (await stack.directory.sources.sourceOfFlow(stack.flow.id, created.id))!;
  bridge = await runIrcBridge(bridgeParts.parts, source, { log: silentLog(), outbound: loopbackOutbound, status: (s) => void statuses.push(s), pollMs: 100, reconnectMinMs: RECONNECT_MIN_MS });
  await waitFor(() => latest()?.state === 'joined', 'the bridge to join');
}, 60_000);

afterAll(async () => {
  for (const c of open) c.quit();
  await bridge?.stop();
  await bridgeParts?.close();
  await backend?.stop();
  await stack?.stop();
  await ngircd?.remove();
}, 30_000);

let carl: FrameworkClient;
/** The first in the channel after ngircd's restart, so its operator. */
let dora: FrameworkClient;

test('IRC → flow: a channel line is posted as the source under the IRC nick, and nick: becomes an @mention', async () => {
  carl = await ircUser('carl');
  carl.client.say(CHANNEL, 'hello from irc');
  const message = await eventually(async () => (await flowMessages()).find((m) => m.content === 'hello from irc'), 'the IRC line in the flow');
  expect(message).toMatchObject({ external_user_name: 'carl', source_id: source.id, user: '0' });
  carl.client.say(CHANNEL, 'bob: have a look');
  const mention = await eventually(async () => (await flowMessages()).find((m) => m.content === '@bob have a look'), 'the mention in the flow');
  expect(mention.external_user_name).toBe('carl');
  expect(mention.tags).toContain(`:user:${stack.bob.id}`);
  carl.client.say(CHANNEL, '\x02bold\x02 and \x0304red\x03 news');
  await eventually(async () => (await flowMessages()).find((m) => m.content === 'bold and red news' && m.external_user_name === 'carl'), 'the line without its formatting codes');
  carl.client.action(CHANNEL, 'waves');
  await eventually(async () => (await flowMessages()).find((m) => m.content === '*waves*' && m.external_user_name === 'carl'), 'the /me line');
}, 30_000);

test('flow → IRC: a flow message reaches the channel as <nick> text, and @nick becomes nick:', async () => {
  await postToFlow('hi irc');
  await carl.line(/PRIVMSG #team :<alice> hi irc$/);
  await postToFlow('@carl ping');
  await carl.line(/PRIVMSG #team :<alice> carl: ping$/);
  // An integration's post naming itself alice is marked: it cannot pass for alice on the network.
  const res = await api(stack, 'POST', `/flows/${stack.flow.path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: 'deploy done', external_user_name: 'alice' } });
  expect(res.status).toBe(201);
  await carl.line(/PRIVMSG #team :<alice\|ext> deploy done$/);
}, 30_000);

test('no echo loops: the IRC user does not get its own line back, and the flow does not get the relayed lines', async () => {
  await postToFlow('marker after the echo window');
  await carl.line(/PRIVMSG #team :<alice> marker after the echo window$/);
  expect(relayed(carl).filter((t) => t.includes('hello from irc'))).toEqual([]);
  const contents = (await flowMessages()).map((m) => m.content);
  expect(contents.filter((c) => c.startsWith('<alice>'))).toEqual([]);
  expect(contents.filter((c) => c === 'hello from irc')).toHaveLength(1);
}, 30_000);

test('a 2 000-character message is split at spaces into lines of at most 512 bytes and reassembles exactly', async () => {
  // 2 000 characters (code points), a third of them multi-byte: splitting must not cut one.
  const long = [...Array.from({ length: 300 }, (_, i) => `wörd${i % 10}🙂`).join(' ')].slice(0, 2000).join('');
  expect([...long]).toHaveLength(2000);
  const before = relayed(carl).length;
  await postToFlow(long);
  const pieces = await waitFor(() => {
    const texts = relayed(carl).slice(before).map((t) => t.slice('<alice> '.length));
    // Every cut falls on a space here (a word every 7 characters), and the space is the line break.
    return texts.join(' ') === long ? texts : undefined;
  }, 'the long message reassembled', 20_000).catch((err: Error) => {
    throw new Error(`${err.message}; got:\n${relayed(carl).slice(before).map((t) => JSON.stringify(t)).join('\n')}`);
  });
  expect(pieces.length).toBeGreaterThan(4);
  for (const line of carl.all(/PRIVMSG #team :<alice> /)) expect(Buffer.byteLength(`${line}\r\n`)).toBeLessThanOrEqual(512);
}, 30_000);

test('50 flow messages in a burst all reach IRC in order, and ngircd does not cut the bridge for flooding', async () => {
  const before = relayed(carl).length;
  const sent = Array.from({ length: 50 }, (_, i) => `burst ${i + 1}`);
  const started = Date.now();
  for (const text of sent) await postToFlow(text);
  await waitFor(() => relayed(carl).length - before >= 50, 'the 50 burst lines', 60_000);
  console.log(`50 lines relayed in ${Date.now() - started} ms (burst 4, then one per 300 ms)`);
  expect(relayed(carl).slice(before).map((t) => t.replace(/^<alice> /, ''))).toEqual(sent);
  expect(statuses.filter((s) => s.state === 'reconnecting')).toEqual([]);
  expect(ngircd.log()).not.toMatch(/flood/i);
}, 90_000);

test('ngircd restarted mid-conversation: the bridge reconnects, re-joins and relays what the flow got meanwhile', async () => {
  await ngircd.stop();
  const meanwhile = ['while IRC was down 1', 'while IRC was down 2', 'while IRC was down 3'];
  for (const text of meanwhile) await postToFlow(text);
  // Let the backoff grow (100, 200, 400 ms …), so that the new IRC user is in the channel before the
  // bridge comes back: converging ngircd and a first JOIN (ngircd answers a new client's first command ~1 s late).
  await waitFor(() => {
    const s = latest();
    return s?.state === 'reconnecting' && s.nextAttemptAt && s.nextAttemptAt.getTime() - Date.now() > 2500;
  }, 'a reconnect attempt at least 2.5 s away', 30_000);
  const failedAttempts = statuses.filter((s) => s.state === 'connecting').length;
  await ngircd.start();
  dora = await ircUser('dora');
  await dora.line(/^:tributary!\S+ JOIN :?#team$/, 30_000);
  await waitFor(() => relayed(dora).length >= 3, 'the messages posted while IRC was down', 15_000);
  expect(relayed(dora)).toEqual(meanwhile.map((t) => `<alice> ${t}`));
  expect(statuses.filter((s) => s.state === 'connecting').length).toBeGreaterThan(failedAttempts);
  expect(latest()?.state).toBe('joined');
  // And IRC → flow works again on the new link.
  dora.client.say(CHANNEL, 'back again');
  const message = await eventually(async () => (await flowMessages()).find((m) => m.content === 'back again'), 'the line after the restart');
  expect(message.external_user_name).toBe('dora');
}, 90_000);

test('kicked from the channel: the bridge re-joins and relays what was posted while it was out', async () => {
  const joinsBefore = dora.all(/^:tributary!\S+ JOIN :?#team$/).length;
  dora.client.raw('KICK #team tributary :out you go');
  await waitFor(() => latest()?.error?.includes('kicked from #team by dora: out you go'), 'the kick in the status');
  await postToFlow('while the bridge was kicked');
  await waitFor(() => dora.all(/^:tributary!\S+ JOIN :?#team$/).length > joinsBefore, 'the bridge to re-join', 15_000);
  await dora.line(/PRIVMSG #team :<alice> while the bridge was kicked$/);
  expect(relayed(dora).filter((t) => t.endsWith('while the bridge was kicked'))).toHaveLength(1);
}, 30_000);
