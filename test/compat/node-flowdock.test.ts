/**
 * Wire compatibility with the real Flowdock client, npm `flowdock@0.9.1` (what hubot-flowdock is
 * built on), unmodified, against a running Tributary: the calls of spec §6.1 and the stream.
 */
import { api, startTestStack, type TestStack } from '../support/stack';

// biome-ignore lint/suspicious/noExplicitAny: the client is untyped CoffeeScript output
type Untyped = any;
// The package has no types; require keeps it untyped on purpose.
const { Session } = require('flowdock') as { Session: new (user: string, password?: string, url?: string) => Untyped };

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
  process.env.FLOWDOCK_STREAM_URL = `${s.url}/stream/flows`;
});
afterAll(async () => {
  await s.stop();
});

const call = <T>(fn: (cb: (err: Error | null, body: T, res: { headers: Record<string, string> }) => void) => void) =>
  new Promise<{ body: T; res: { headers: Record<string, string> } }>((resolve, reject) => fn((err, body, res) => (err ? reject(err) : resolve({ body, res }))));

/**
 * Stream#end() of flowdock@0.9.1 aborts its request and then removes every listener, so the
 * 'aborted' error that modern Node emits afterwards has no handler and crashes the process.
 * End it the same way, but keep an error handler in place.
 */
function endStream(stream: Untyped): void {
  stream.disconnecting = true;
  stream.request?.on('error', () => undefined);
  stream.request?.abort();
}

async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

it('works as a hubot would: flows, stream, message, thread reply, comment, status, private message, edit', async () => {
  const bot = new Session(s.bob.token, undefined, s.url); // token as user name, password undefined
  bot.on('error', () => undefined);
  const human = new Session(s.alice.email, s.alice.password, s.url);
  human.on('error', () => undefined);

  const { body: flows, res } = await call<Untyped[]>((cb) => bot.flows(cb));
  expect(res.headers['flowdock-user']).toBe(String(s.bob.id));
  const flow = flows.find((f: Untyped) => f.id === s.flow.id);
  expect(flow).toMatchObject({ joined: true, open: true, organization: { parameterized_name: s.org.name } });
  expect(flow.users.find((u: Untyped) => u.id === s.bob.id)).toMatchObject({ nick: 'bob', in_flow: true });

  const received: Untyped[] = [];
  const stream = bot.stream([s.flow.id], { active: 'idle', user: 1 });
  stream.on('message', (m: Untyped) => received.push(m));
  await new Promise((resolve) => stream.once('connected', resolve));

  const { body: posted } = await call<Untyped>((cb) => human.message(s.flow.id, '@bob ping', [], cb));
  expect(posted).toMatchObject({ event: 'message', content: '@bob ping', flow: s.flow.id, user: String(s.alice.id) });
  await eventually(() => received.some((m) => m.id === posted.id));
  const seen = received.find((m) => m.id === posted.id);
  expect(seen).toMatchObject({ event: 'message', flow: s.flow.id, thread_id: posted.thread_id });

  const { body: reply } = await call<Untyped>((cb) => bot.threadMessage(s.flow.id, posted.thread_id, 'pong', [], cb));
  expect(reply.thread_id).toBe(posted.thread_id);
  const { body: comment } = await call<Untyped>((cb) => bot.comment(s.flow.id, String(posted.id), 'noted', [], cb));
  expect(comment).toMatchObject({ event: 'comment', content: { text: 'noted' }, tags: [`influx:${posted.id}`] });
  const { body: status } = await call<Untyped>((cb) => bot.status(s.flow.id, 'working', cb));
  expect(status.event).toBe('status');

  const { body: pm } = await call<Untyped>((cb) => human.privateMessage(s.bob.id, 'psst', [], cb));
  expect(pm).toMatchObject({ to: String(s.bob.id), user: String(s.alice.id) });
  await eventually(() => received.some((m) => m.event === 'message' && !m.flow && m.content === 'psst'));

  await call((cb) => bot.editMessage('main', s.org.name, reply.id, { content: 'pong!' }, cb));
  const edited = await api(s, 'GET', `/flows/${s.flow.path}/messages/${reply.id}`, { auth: s.bob.auth });
  expect(edited.body.content).toBe('pong!');
  await eventually(() => received.some((m) => m.event === 'message-edit'));

  // Everything the bot saw on its stream came in id order per flow, with no duplicates.
  const flowIds = received.filter((m) => m.flow === s.flow.id && typeof m.id === 'number').map((m) => m.id);
  expect(flowIds).toEqual([...new Set(flowIds)].sort((a, b) => a - b));
  endStream(stream);
});

it('reports 401 for a wrong token through the client, and 404 on the stream for an invisible flow', async () => {
  const stranger = new Session('not-a-token', undefined, s.url);
  stranger.on('error', () => undefined);
  await expect(call((cb) => stranger.flows(cb))).rejects.toThrow('Received status 401');
  const carol = new Session(s.carol.token, undefined, s.url);
  const stream = carol.stream([s.flow.id], {});
  const status = await new Promise((resolve) => stream.once('clientError', resolve));
  expect(status).toBe(404);
  endStream(stream);
});
