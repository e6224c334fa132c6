/**
 * `irc` sources run by the integration workers (issue 13 point 4): two `tributary start
 * integrations` processes on one Postgres, ngircd converged by the project's cookbook, the flow
 * over REST and an irc-framework client in the channel. One worker runs the bridge; SIGKILLed, the
 * other takes the source over from the stored cursor; deleting the source ends the bridge.
 */
import { silentLog } from '../../core/log';
import { type RunningServices, startServices } from '../../cli/start';
import { eventually } from '../../test/support/feed-server';
import { FrameworkClient, waitFor } from '../../test/support/irc-clients';
import { startNgircd, type TestNgircd } from '../../test/support/ngircd';
import { freePort, type ServiceProcess, spawnService } from '../../test/support/processes';
import { TEST_REDIS_URL } from '../../test/support/redis';
import { createBuiltInSource, FAST_SOURCES_ENV, sourceStatus } from '../../test/support/rss-sources';
import { api, startTestStack, type TestStack } from '../../test/support/stack';

jest.setTimeout(90_000);

const CHANNEL = '#team';
let ngircd: TestNgircd;
let stack: TestStack;
let backend: RunningServices;
let env: Record<string, string>;
const workers: ServiceProcess[] = [];
const users: FrameworkClient[] = [];

beforeAll(async () => {
  ngircd = await startNgircd();
  // The REST API and the message backend in this process; the workers are separate processes, as in production.
  stack = await startTestStack({ service: 'web-api', env: FAST_SOURCES_ENV });
  backend = await startServices('message-backend', stack.config, silentLog());
  env = { DATABASE_URL: stack.db.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: stack.config.REDIS_PREFIX, SHARDS: '4', DEMO: 'off', ...FAST_SOURCES_ENV };
}, 60_000);

afterAll(async () => {
  for (const u of users) u.quit();
  for (const w of workers) await w.kill('SIGTERM');
  await backend?.stop();
  await stack?.stop();
  await ngircd?.remove();
}, 30_000);

async function ircUser(nick: string): Promise<FrameworkClient> {
  const user = new FrameworkClient(ngircd.port, { nick });
  users.push(user);
  await user.registered;
  user.client.join(CHANNEL);
  await user.line(new RegExp(`^:${nick}!\\S+ JOIN :?${CHANNEL}$`));
  return user;
}

async function createIrcSource(name: string): Promise<number> {
  const config = { server: '127.0.0.1', port: ngircd.port, tls: false, channel: CHANNEL, nick: 'tributary', flood: { burst: 10, interval_ms: 100 } };
  const res = await api(stack, 'POST', `/flows/${stack.flow.path}/sources`, { auth: stack.alice.auth, body: { name, type: 'irc', config } });
  if (res.status !== 201) throw new Error(`creating the source answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id as number;
}

async function postToFlow(content: string): Promise<number> {
  const res = await api(stack, 'POST', `/flows/${stack.flow.path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content } });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

/** What the source posted into the flow, oldest first. */
async function postedBy(sourceId: number): Promise<{ content: string; external_user_name: string }[]> {
  const res = await api(stack, 'GET', `/flows/${stack.flow.path}/messages?event=message&limit=100&sort=asc`, { auth: stack.alice.auth });
  return (res.body as { content: string; external_user_name: string; source_id?: number }[]).filter((m) => m.source_id === sourceId);
}

const holderOf = async (id: number): Promise<string | null> =>
  (await stack.db.pool.query<{ holder: string }>('SELECT holder FROM source_leases WHERE source_id = $1', [id])).rows[0]?.holder ?? null;

const storedCursor = async (id: number): Promise<number> =>
  (await stack.db.pool.query<{ cursor: { flow_message_id?: number } | null }>('SELECT cursor FROM source_runs WHERE source_id = $1', [id])).rows[0]?.cursor?.flow_message_id ?? -1;

/** Every line any bridge (whatever nick it ended up with) sent to the channel, as an IRC user saw them. */
const relayed = (user: FrameworkClient): string[] =>
  user.all(new RegExp(`^:tributary\\S*!\\S+ PRIVMSG ${CHANNEL} :`)).map((l) => l.slice(l.indexOf(` PRIVMSG ${CHANNEL} :`) + ` PRIVMSG ${CHANNEL} :`.length));
const bridgeJoins = (user: FrameworkClient): string[] => user.all(new RegExp(`^:tributary\\S*!\\S+ JOIN :?${CHANNEL}$`));

test('a source naming a private, link-local or loopback server is refused by the address guard, shown on its status, and retried with backoff', async () => {
  // A worker that admits nothing special (production's default), unlike the test env's 127.0.0.1.
  const strict = await spawnService('integrations', await freePort(), { ...env, OUTBOUND_ALLOW: '' }, 60_000);
  const carl = await ircUser('watcher');
  try {
    const servers = { '10.0.0.1': '10.0.0.1', '169.254.169.254': '169.254.169.254', localhost: '127.0.0.1' };
    const ids = await Promise.all(Object.keys(servers).map((server) => createBuiltInSource(stack, `IRC ${server}`, 'irc', { server, port: ngircd.port, channel: CHANNEL, nick: 'tributary' })));
    for (const [i, [server, address]] of Object.entries(servers).entries()) {
      const status = await eventually(() => sourceStatus(stack, ids[i]!), (s) => (s?.failures ?? 0) >= 2 && s?.next_run_at != null, `${server} to be refused twice and wait`);
      // The name is said once: before the address when they differ.
      const named = server === address ? '' : `${server}: `;
      expect(status?.last_error).toBe(`${named}refused to connect to ${address}: a loopback, private or link-local address (allow it with OUTBOUND_ALLOW)`);
      expect(status?.last_success_at).toBeNull();
      // Backing off (not connecting again right now), the next attempt is shown as the next run, after the last one.
      expect(Date.parse(status?.next_run_at ?? '')).toBeGreaterThan(Date.parse(status?.last_run_at ?? ''));
    }
    // localhost is where ngircd listens: refused before connecting, the bridge never reached the channel.
    expect(bridgeJoins(carl)).toEqual([]);
    for (const id of ids) expect((await api(stack, 'DELETE', `/flows/${stack.flow.path}/sources/${id}`, { auth: stack.alice.auth })).status).toBe(204);
  } finally {
    await strict.kill('SIGTERM');
  }
});

test('one of two workers runs the bridge; SIGKILLed, the other takes over from the stored cursor, and nothing is doubled or lost either way', async () => {
  workers.push(...(await Promise.all([1, 2].map(async () => spawnService('integrations', await freePort(), env, 60_000)))));
  const carl = await ircUser('carl');
  const id = await createIrcSource('IRC #team');
  await carl.line(new RegExp(`^:tributary!\\S+ JOIN :?${CHANNEL}$`), 15_000);
  await eventually(() => sourceStatus(stack, id), (s) => s?.last_success_at != null && s.last_error === null, 'the status to show the bridge joined');

  const before = ['before 1', 'before 2', 'before 3'];
  let lastId = 0;
  for (const text of before) lastId = await postToFlow(text);
  await waitFor(() => relayed(carl).length >= 3, 'the flow messages on IRC');
  carl.client.say(CHANNEL, 'from irc 1');
  carl.client.say(CHANNEL, 'from irc 2');
  await eventually(() => postedBy(id), (posted) => posted.length >= 2, 'the IRC lines in the flow');
  // A worker killed between handing a message to IRC and storing the cursor would send it again
  // (docs/irc.md): the kill comes once the cursor is stored, so any repeat here is a bug.
  await eventually(() => storedCursor(id), (cursor) => cursor >= lastId, 'the cursor to be stored');
  expect(bridgeJoins(carl)).toHaveLength(1);

  const firstHolder = await holderOf(id);
  const dying = workers.find((w) => firstHolder?.includes(`:${w.child.pid}:`));
  expect(dying).toBeDefined();
  await dying!.kill('SIGKILL');
  const meanwhile = ['meanwhile 1', 'meanwhile 2', 'meanwhile 3'];
  for (const text of meanwhile) await postToFlow(text);

  await eventually(() => holderOf(id), (h) => h !== null && h !== firstHolder, 'the other worker to take the source over');
  await waitFor(() => bridgeJoins(carl).length === 2, 'the bridge to join again', 15_000);
  await waitFor(() => relayed(carl).length >= 6, 'the messages posted while no bridge ran', 15_000);
  carl.client.say(CHANNEL, 'from irc 3');
  await eventually(() => postedBy(id), (posted) => posted.length >= 3, 'the IRC line after the takeover');
  // And a marker through both directions, so that a late double would have arrived by now.
  await postToFlow('marker');
  await waitFor(() => relayed(carl).includes('<alice> marker'), 'the marker');

  expect(relayed(carl)).toEqual([...before, ...meanwhile, 'marker'].map((t) => `<alice> ${t}`));
  expect((await postedBy(id)).map((m) => [m.external_user_name, m.content])).toEqual([['carl', 'from irc 1'], ['carl', 'from irc 2'], ['carl', 'from irc 3']]);
  const status = await eventually(() => sourceStatus(stack, id), (s) => s?.items_posted === 3, 'the status to count the three lines');
  expect(status).toMatchObject({ last_error: null, failures: 0, next_run_at: null });

  // Deleting the source ends its bridge: it leaves IRC.
  const res = await api(stack, 'DELETE', `/flows/${stack.flow.path}/sources/${id}`, { auth: stack.alice.auth });
  expect(res.status).toBe(204);
  await carl.line(/^:tributary!\S+ QUIT /, 15_000);
});

test('a source whose config names a refused field is a 400 naming it', async () => {
  const res = await api(stack, 'POST', `/flows/${stack.flow.path}/sources`, {
    auth: stack.alice.auth, body: { name: 'Bad', type: 'irc', config: { server: '127.0.0.1', channel: 'team', nick: 'tributary' } },
  });
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toContain('config.channel');
});
