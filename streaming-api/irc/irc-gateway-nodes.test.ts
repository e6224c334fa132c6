/**
 * IRC resume across streaming nodes (issue 13): two `tributary start streaming-api` processes with
 * IRC_PORT on one Postgres and Redis, as behind HAProxy. A client reads on node A and quits;
 * messages are posted; it logs in on node B and gets exactly what it missed, server-time tagged,
 * then live messages: the positions node A saved are in Redis, where node B reads them.
 */
import { type RunningServices, startServices } from '../../cli/start';
import { silentLog } from '../../core/log';
import { FrameworkClient, waitFor } from '../../test/support/irc-clients';
import { freePort, type ServiceProcess, spawnService } from '../../test/support/processes';
import { TEST_REDIS_URL } from '../../test/support/redis';
import { api, type SeededUser, seedUser, startTestStack, type TestStack } from '../../test/support/stack';

jest.setTimeout(60_000);

let stack: TestStack;
let backend: RunningServices;
const nodes: { process: ServiceProcess; ircPort: number }[] = [];
const open: FrameworkClient[] = [];

beforeAll(async () => {
  // REST and the message backend here; the streaming nodes are separate processes, as in production.
  stack = await startTestStack({ service: 'web-api' });
  backend = await startServices('message-backend', stack.config, silentLog());
}, 30_000);

afterAll(async () => {
  for (const c of open) c.quit();
  for (const node of nodes) await node.process.kill('SIGTERM');
  await backend?.stop();
  await stack?.stop();
}, 30_000);

async function startNode(): Promise<{ process: ServiceProcess; ircPort: number }> {
  const ircPort = await freePort();
  const env = { DATABASE_URL: stack.db.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: stack.config.REDIS_PREFIX, SHARDS: '4', DEMO: 'off', IRC_PORT: String(ircPort) };
  const node = { process: await spawnService('streaming-api', await freePort(), env, 30_000), ircPort };
  nodes.push(node);
  return node;
}

async function irc(port: number, user: SeededUser): Promise<FrameworkClient> {
  const client = new FrameworkClient(port, { nick: user.nick, password: `${user.email} ${user.password}` });
  open.push(client);
  await client.registered;
  return client;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

test('a client that read on node A and reconnects to node B gets exactly what it missed, server-time tagged, then live messages', async () => {
  const [a, b] = await Promise.all([startNode(), startNode()]);
  const user = await seedUser(stack.directory, 'roamer');
  const flow = await stack.directory.createFlow(stack.org.id, 'Roaming');
  await stack.directory.addOrganizationMember(stack.org.id, user.id, false);
  await stack.directory.addFlowMember(flow.id, user.id);
  await stack.directory.addFlowMember(flow.id, stack.alice.id);
  const path = `${stack.org.name}/${flow.parameterizedName}`;
  const channel = `#${path}`;
  const post = async (content: string): Promise<{ sent: number }> => {
    const res = await api(stack, 'POST', `/flows/${path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content } });
    expect(res.status).toBe(201);
    return res.body;
  };

  const first = await irc(a.ircPort, user);
  await first.line(new RegExp(` 366 \\S+ ${escapeRegex(channel)} `));
  await post('seen 1');
  await first.line(/:seen 1$/);
  first.quit();
  await waitFor(() => first.closed, 'the client to leave node A');

  const missed: { sent: number }[] = [];
  for (let i = 1; i <= 5; i++) missed.push(await post(`missed ${i}`));
  const second = await irc(b.ircPort, user);
  await second.line(/:missed 5$/);
  await post('live 1');
  await second.line(/:live 1$/);
  const texts = second.all(new RegExp(`PRIVMSG ${escapeRegex(channel)} :`)).map((l) => l.split(' :').at(-1));
  expect(texts).toEqual(['missed 1', 'missed 2', 'missed 3', 'missed 4', 'missed 5', 'live 1']);
  expect(second.has(/:missed 1$/)).toMatch(new RegExp(`^@time=${escapeRegex(new Date(missed[0]!.sent).toISOString())}`));
});
