/**
 * A changed password ends the logins made with the old one at once, on every streaming node
 * (docs/security.md): a whole Tributary (IRC gateway included) and a second streaming-api process on
 * the same Postgres and Redis; `tributary user set-password` (the built CLI, its own process)
 * announces the change on the bus. Connections opened with the user's API token stay open.
 */
import { get, type IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { type RunningServices, startServices } from '../cli/start';
import { silentLog } from '../core/log';
import { tributaryOn } from '../test/support/cli';
import { RawClient } from '../test/support/irc-clients';
import { freePort } from '../test/support/processes';
import { TEST_REDIS_URL } from '../test/support/redis';
import { api, basic, startTestStack, type TestStack } from '../test/support/stack';

const NEW_PASSWORD = 'a new long password';

let s: TestStack;
let other: RunningServices;
/** The two nodes' WebSocket and stream bases: the whole stack's under /stream, the lone streaming-api's at its root. */
let nodes: { ws: string; stream: string; irc: number }[];
beforeAll(async () => {
  const [ircA, ircB] = [await freePort(), await freePort()];
  s = await startTestStack({ env: { IRC_PORT: String(ircA) } });
  other = await startServices('streaming-api', { ...s.config, IRC_PORT: ircB }, silentLog());
  const otherUrl = `http://127.0.0.1:${other.port}`;
  nodes = [
    { ws: `${s.url.replace('http', 'ws')}/stream/ws`, stream: `${s.url}/stream`, irc: ircA },
    { ws: `${otherUrl.replace('http', 'ws')}/ws`, stream: otherUrl, irc: ircB },
  ];
}, 60_000);
afterAll(async () => {
  await other?.stop();
  await s?.stop();
});

/** A WebSocket that has its `hello`; `closed` resolves with the close code and reason. */
async function openSocket(url: string, headers: Record<string, string>, authFrame?: object) {
  const ws = new WebSocket(url, { headers });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const hello = new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString('utf8')) as { type: string }).type === 'hello') resolve();
    });
    ws.on('error', reject);
  });
  if (authFrame) ws.on('open', () => ws.send(JSON.stringify(authFrame)));
  await hello;
  return { ws, closed };
}

/** An HTTP stream of the flow that has its 200; `ended` resolves when the server ends it. */
async function openStream(base: string, auth: string) {
  const res = await new Promise<IncomingMessage>((resolve, reject) => get(`${base}/flows/${s.flow.path}`, { headers: { authorization: auth } }, resolve).on('error', reject));
  expect(res.statusCode).toBe(200);
  const ended = new Promise<void>((resolve) => res.on('end', resolve).on('close', resolve));
  res.resume();
  return { ended };
}

/** An IRC client logged in with PASS and joined to its channels. */
async function openIrc(port: number, email: string, password: string, nick: string) {
  const irc = new RawClient(port);
  irc.send(`PASS ${email} ${password}\r\nNICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`);
  await irc.line(/ 366 /);
  const closed = new Promise<void>((resolve) => (irc.closed ? resolve() : irc.socket.on('close', () => resolve())));
  return { irc, closed };
}

/** The status of a WebSocket upgrade with `auth` that the server refuses (or 101). */
function upgradeStatus(url: string, auth: string): Promise<number> {
  const ws = new WebSocket(url, { headers: { authorization: auth } });
  return new Promise((resolve) => {
    ws.on('error', () => {});
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
  });
}

it("closes every password and session login of the user on both nodes (WebSocket 4001, stream ended, IRC ERROR); her token's stay, the old password is 401", async () => {
  const { alice } = s;
  const old = basic(alice.email, alice.password);
  const session = await api(s, 'POST', '/session', { body: { email: alice.email, password: alice.password }, headers: { origin: s.url } });
  expect(session.status).toBe(201);
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;

  const sockets = await Promise.all([
    openSocket(nodes[0]!.ws, { authorization: old }),
    openSocket(nodes[0]!.ws, { cookie, origin: s.url }),
    openSocket(nodes[1]!.ws, {}, { type: 'auth', email: alice.email, password: alice.password }),
  ]);
  const streams = await Promise.all(nodes.map((n) => openStream(n.stream, old)));
  const ircs = await Promise.all(nodes.map((n, i) => openIrc(n.irc, alice.email, alice.password, `alice${i}`)));
  const tokenSockets = await Promise.all(nodes.map((n) => openSocket(n.ws, { authorization: alice.auth })));

  const r = tributaryOn(s.db.url, ['user', 'set-password', alice.email, '--password', NEW_PASSWORD, '--json'], { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: s.config.REDIS_PREFIX });
  expect(r.stderr).toBe('');
  expect(r.json()).toMatchObject({ id: alice.id, password: 'changed', sessions_revoked: 1 });

  for (const { closed } of sockets) expect(await closed).toEqual({ code: 4001, reason: 'credentials changed' });
  await Promise.all(streams.map((stream) => stream.ended));
  for (const { irc, closed } of ircs) {
    await closed;
    expect(irc.has(/^ERROR :Closing link: credentials changed$/)).toBeDefined();
  }

  for (const node of nodes) {
    expect(await upgradeStatus(node.ws, old)).toBe(401);
    expect(await upgradeStatus(node.ws, basic(alice.email, NEW_PASSWORD))).toBe(101);
  }
  // The token's sockets were never closed: they still answer.
  for (const { ws } of tokenSockets) {
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  }
  for (const { irc } of ircs) irc.socket.destroy();
}, 30_000);
