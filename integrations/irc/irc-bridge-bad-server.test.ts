/**
 * The IRC bridge against an IRC server that misbehaves on cue (test/support/scripted-irc-server.ts):
 * a link dropped in the middle of a burst, invalid UTF-8 and an over-long line from the server.
 * The flow side is a whole Tributary on real Postgres and Redis.
 */
import { randomBytes } from 'node:crypto';
import { hashFlowToken } from '../../core/auth/flow-tokens';
import { type RunningServices, startServices } from '../../cli/start';
import { silentLog } from '../../core/log';
import { eventually } from '../../test/support/feed-server';
import { waitFor } from '../../test/support/irc-clients';
import { ScriptedIrcServer } from '../../test/support/scripted-irc-server';
import { api, startTestStack, type TestStack } from '../../test/support/stack';
import type { IrcBridge, IrcBridgeStatus } from './irc-bridge';
import { openBridgeParts, runIrcBridge } from './irc-runner';
import { loopbackOutbound } from '../../test/support/ngircd';

const CHANNEL = '#team';
let server: ScriptedIrcServer;
let stack: TestStack;
let backend: RunningServices;
let bridgeParts: Awaited<ReturnType<typeof openBridgeParts>>;
let bridge: IrcBridge;
let sourceId: number;
const statuses: IrcBridgeStatus[] = [];

beforeAll(async () => {
  server = await ScriptedIrcServer.start();
  // Without the integrations service: it would run this irc source too, beside the bridge under test.
  stack = await startTestStack({ service: 'web-api' });
  backend = await startServices('message-backend', stack.config, silentLog());
  bridgeParts = await openBridgeParts(stack.config, silentLog());
  // One line at a time, 300 ms apart: a dropped link is noticed long before the next line is due.
  const config = { server: '127.0.0.1', port: server.port, tls: false, channel: CHANNEL, nick: 'tributary', flood: { burst: 1, interval_ms: 300 } };
  const created = await stack.directory.sources.createSource({ flowId: stack.flow.id, creatorId: stack.alice.id, name: 'IRC', externalUrl: null, type: 'irc', config }, hashFlowToken(randomBytes(32).toString('hex')));
  sourceId = created.id;
  bridge = await runIrcBridge(bridgeParts.parts, created, { log: silentLog(), outbound: loopbackOutbound, status: (s) => void statuses.push(s), pollMs: 50 });
  await waitFor(() => statuses.at(-1)?.state === 'joined', 'the bridge to join');
}, 60_000);

afterAll(async () => {
  await bridge?.stop();
  await bridgeParts?.close();
  await backend?.stop();
  await stack?.stop();
  await server?.close();
}, 30_000);

async function postToFlow(content: string): Promise<void> {
  const res = await api(stack, 'POST', `/flows/${stack.flow.path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content } });
  expect(res.status).toBe(201);
}

async function postedFromIrc(): Promise<{ content: string; external_user_name: string }[]> {
  const res = await api(stack, 'GET', `/flows/${stack.flow.path}/messages?event=message&limit=100&sort=asc`, { auth: stack.alice.auth });
  return (res.body as { content: string; external_user_name: string; source_id?: number }[]).filter((m) => m.source_id === sourceId);
}

test('the server drops the link in the middle of a burst: the bridge reconnects after a backoff, re-joins, and every flow message reaches IRC once, in order', async () => {
  server.onLine = (link, line) => {
    if (line === `PRIVMSG ${CHANNEL} :<alice> burst 4`) link.drop('dropped mid-burst');
  };
  const sent = Array.from({ length: 10 }, (_, i) => `burst ${i + 1}`);
  for (const text of sent) await postToFlow(text);
  await waitFor(() => server.privmsgs(CHANNEL).includes('<alice> burst 10'), 'the whole burst on IRC', 30_000);
  expect(server.privmsgs(CHANNEL)).toEqual(sent.map((t) => `<alice> ${t}`));
  expect(server.links).toHaveLength(2);
  expect(server.links[0]!.received.at(-1)).toBe(`PRIVMSG ${CHANNEL} :<alice> burst 4`);
  expect(server.links[1]!.received).toContain(`JOIN ${CHANNEL}`);
  const reconnecting = statuses.find((s) => s.state === 'reconnecting');
  expect(reconnecting?.nextAttemptAt).toBeInstanceOf(Date);
  expect(statuses.at(-1)?.state).toBe('joined');
}, 60_000);

test('invalid UTF-8 and a line far past 512 bytes from the server are posted (bad bytes replaced), and the bridge keeps its link', async () => {
  server.onLine = () => {};
  const link = server.links.at(-1)!;
  const reconnectsBefore = statuses.filter((s) => s.state === 'reconnecting').length;
  link.write(Buffer.concat([Buffer.from(`:dave!d@irc PRIVMSG ${CHANNEL} :bad `), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' bytes\r\n')]));
  const long = `${'y'.repeat(3000)}`;
  link.write(`:dave!d@irc PRIVMSG ${CHANNEL} :${long}\r\n`);
  link.write(`:dave!d@irc PRIVMSG ${CHANNEL} :after the bad lines\r\n`);
  const posted = await eventually(postedFromIrc, (p) => p.some((m) => m.content === 'after the bad lines'), 'the line after the bad ones in the flow');
  expect(posted.map((m) => m.external_user_name)).toEqual(['dave', 'dave', 'dave']);
  expect(posted[0]!.content).toMatch(/^bad \uFFFD.*\uFFFD bytes$/);
  expect(posted[1]!.content).toBe(long);
  expect(posted[2]!.content).toBe('after the bad lines');
  expect(statuses.filter((s) => s.state === 'reconnecting')).toHaveLength(reconnectsBefore);
  expect(link.closed).toBe(false);
}, 30_000);
