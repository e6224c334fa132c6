/**
 * The IRC gateway spends the API's request budget (RATE_LIMIT per RATE_WINDOW_S, keyed by the
 * user as a password login over REST is): a tiny budget here, so that both sides run out of it.
 */
import { createServer } from 'node:net';
import { RawClient } from '../../test/support/irc-clients';
import { api, basic, startTestStack, type TestStack } from '../../test/support/stack';

let stack: TestStack;
let ircPort: number;
const BUDGET = 5;

beforeAll(async () => {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => probe.once('listening', r));
  ircPort = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  stack = await startTestStack({ env: { IRC_PORT: String(ircPort), RATE_LIMIT: String(BUDGET), RATE_WINDOW_S: '3600' } });
}, 60_000);

afterAll(() => stack?.stop());

test('PRIVMSGs past the budget are refused with RATE_LIMITED, and the same user is then refused over REST too', async () => {
  const { bob } = stack;
  const raw = new RawClient(ircPort);
  raw.send(`PASS ${bob.email} ${bob.password}\r\nNICK ${bob.nick}\r\nUSER ${bob.nick} 0 * :Bob\r\n`);
  await raw.line(/ 366 /);
  const channel = raw.has(/ JOIN :?#/)!.replace(/^.* JOIN :?/, '');
  for (let i = 1; i <= BUDGET + 3; i++) raw.send(`PRIVMSG ${channel} :within budget? ${i}\r\n`);
  raw.send('PING :done\r\n');
  await raw.line(/PONG \S+ :?done$/, 20_000);
  const refused = raw.all(/ FAIL PRIVMSG RATE_LIMITED :Too many requests; retry in \d+ s$/).length;
  const res = await api(stack, 'GET', `/flows/${stack.flow.path}/messages?event=message&limit=100`, { auth: stack.alice.auth });
  const posted = (res.body as { content: string }[]).filter((m) => m.content.startsWith('within budget?')).length;
  expect(posted).toBeLessThanOrEqual(BUDGET);
  expect(posted + refused).toBe(BUDGET + 3);
  expect(refused).toBeGreaterThanOrEqual(3);
  // One budget per user: REST with bob's password finds it spent.
  const rest = await api(stack, 'GET', '/flows', { auth: basic(bob.email, bob.password) });
  expect(rest.status).toBe(429);
  expect(rest.headers.get('retry-after')).toMatch(/^\d+$/);
  raw.socket.destroy();
}, 60_000);
