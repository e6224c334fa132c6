/**
 * The streaming service killed and restarted mid-conversation, in Debian's Chromium (issue 11,
 * points 5 and 10; docs/app.md): full mode, the web-api (with the app) and the message backend in
 * this process, the streaming service a process of its own, one origin in front of them. While it is
 * down the app says it is offline and posts still go through the REST API; once it is back the app
 * reconnects by itself, resumes from its last ids and shows what it missed, each message once.
 */
import { silentLog } from '../../core/log';
import { type RunningServices, startServices } from '../../cli/start';
import { AppBrowser, signInAt } from '../support/app-browser';
import { startOneOriginProxy, type OneOriginProxy } from '../support/one-origin-proxy';
import { freePort, type ServiceProcess, spawnService } from '../support/processes';
import { TEST_REDIS_URL } from '../support/redis';
import { api, startTestStack, type TestStack } from '../support/stack';

let s: TestStack;
let backend: RunningServices;
let streaming: ServiceProcess;
let streamingPort: number;
let proxy: OneOriginProxy;
let chromium: AppBrowser;
let streamingEnv: Record<string, string>;

beforeAll(async () => {
  s = await startTestStack({ service: 'web-api' });
  backend = await startServices('message-backend', s.config, silentLog());
  streamingEnv = { DATABASE_URL: s.db.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: s.config.REDIS_PREFIX, SHARDS: String(s.config.SHARDS) };
  streamingPort = await freePort();
  streaming = await spawnService('streaming-api', streamingPort, streamingEnv);
  proxy = await startOneOriginProxy(Number(new URL(s.url).port), streamingPort);
  chromium = await AppBrowser.launch();
}, 60_000);
afterAll(async () => {
  await chromium?.close();
  await proxy?.close();
  await streaming?.kill('SIGTERM');
  await backend?.stop();
  await s?.stop();
});

it('shows every message once after the streaming service is killed and restarted, and says it is offline meanwhile', async () => {
  // The socket's drop and the refused reconnects are the story: the browser logs them itself.
  const expected = [/WebSocket/, /status of 502/];
  const [alice, bob] = [await chromium.newPage({ expected }), await chromium.newPage({ expected })];
  await signInAt(proxy.url, alice, s.alice, `/app/${s.flow.path}`);
  await signInAt(proxy.url, bob, s.bob, `/app/${s.flow.path}`);
  for (const page of [alice, bob]) await page.getByRole('status').waitFor({ state: 'detached' });
  const bobComposer = bob.getByRole('textbox', { name: 'Message' });
  await bobComposer.fill('before the restart');
  await bobComposer.press('Enter');
  await alice.getByRole('article').filter({ hasText: 'before the restart' }).waitFor();

  expect(await streaming.kill('SIGKILL')).toBeNull();
  for (const page of [alice, bob]) await page.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
  // Meanwhile the REST API still takes posts: Bob's from another client, Alice's from her page.
  const missed = ['missed one', 'missed two', 'missed three'];
  for (const content of missed) {
    expect((await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.bob.auth, body: { event: 'message', content } })).status).toBe(201);
  }
  const aliceComposer = alice.getByRole('textbox', { name: 'Message' });
  await aliceComposer.fill('alice while the stream is down');
  await aliceComposer.press('Enter');
  await alice.waitForFunction(() => !document.body.textContent?.includes('sending…'));

  streaming = await spawnService('streaming-api', streamingPort, streamingEnv);
  const everything = ['before the restart', ...missed, 'alice while the stream is down'];
  for (const page of [alice, bob]) {
    await page.getByRole('article').filter({ hasText: 'alice while the stream is down' }).waitFor();
    await page.getByRole('article').filter({ hasText: 'missed three' }).waitFor();
    await page.getByRole('status').waitFor({ state: 'detached' });
    const texts = await page.getByRole('article').locator('.text').allTextContents();
    expect(texts.filter((t) => everything.includes(t))).toEqual(everything);
  }
  // And live again: a post after the restart arrives as before.
  await bobComposer.fill('after the restart');
  await bobComposer.press('Enter');
  await alice.getByRole('article').filter({ hasText: 'after the restart' }).waitFor();
  expect(chromium.errors).toEqual([]);
}, 90_000);
