/**
 * Threads, the team inbox, search paging and the outbox across a reload, in Debian's Chromium
 * (issue 11, points 3, 5, 6 and 10; docs/app.md). Two people in two browser contexts: one replies in
 * a thread, the other reads it live beside the flow; an integration posts items with its flow token
 * and they show in the inbox, apart from chat, with markup in every field left as text.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from '../support/app-browser';
import { useAppStack } from '../support/app-stack';
import { api } from '../support/stack';

const app = useAppStack();
afterEach(() => expect(app.browser.errors).toEqual([]));

const flowList = (page: Page) => page.getByRole('log', { name: 'Messages in Main' });
const threadPanel = (page: Page) => page.getByRole('region', { name: 'Thread' });
/** Set by any of the XSS attempts below if it ever ran. */
const ATTACK = 'window.__xss = (window.__xss || 0) + 1';

it('a chat message starts a thread: Bob replies beside the flow and Alice reads it live in her thread panel', async () => {
  const [alice, bob] = [await app.browser.newPage(), await app.browser.newPage()];
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.flow.path}`);
  await app.signIn(bob, app.stack.bob, `/app/${app.stack.flow.path}`);
  await bob.getByRole('status').waitFor({ state: 'detached' });
  const composer = alice.getByRole('textbox', { name: 'Message' });
  await composer.fill('Who can review the release notes?');
  await composer.press('Enter');

  const question = flowList(bob).getByRole('article').filter({ hasText: 'Who can review the release notes?' });
  await question.getByRole('link', { name: 'Reply' }).click();
  await threadPanel(bob).getByRole('heading', { name: 'Who can review the release notes?' }).waitFor();
  const threadId = /\/threads\/([^/]+)$/.exec(new URL(bob.url()).pathname)?.[1];
  expect(threadId).toBeDefined();
  const asked = await api(app.stack, 'GET', `/flows/${app.stack.flow.path}/messages?search=${encodeURIComponent('review the release notes')}`, { auth: app.stack.alice.auth });
  expect(asked.body[0].thread_id).toBe(decodeURIComponent(threadId!));

  await flowList(alice).getByRole('article').filter({ hasText: 'Who can review' }).getByRole('link', { name: 'Reply' }).click();
  await threadPanel(alice).getByRole('article').filter({ hasText: 'Who can review' }).waitFor();

  const reply = bob.getByRole('textbox', { name: 'Reply' });
  await reply.fill('I can, after lunch');
  await reply.press('Enter');
  await threadPanel(alice).getByRole('article').filter({ hasText: 'I can, after lunch' }).waitFor();
  // The reply is in the flow too, saying where it belongs, and the question counts it.
  await flowList(alice).getByRole('article').filter({ hasText: 'I can, after lunch' }).getByText('in thread').waitFor();
  await flowList(alice).getByRole('article').filter({ hasText: 'Who can review' }).getByRole('link', { name: '1 reply' }).waitFor();
  const stored = await api(app.stack, 'GET', `/flows/${app.stack.flow.path}/threads/${threadId}/messages`, { auth: app.stack.alice.auth });
  expect(stored.body.map((m: { content: string }) => m.content)).toEqual(['Who can review the release notes?', 'I can, after lunch']);
  await alice.screenshot({ path: join(SCREENSHOTS, 'thread.png') });

  // The thread's URL survives a reload; "Close thread" leads back to the flow alone.
  await alice.reload();
  await threadPanel(alice).getByRole('article').filter({ hasText: 'I can, after lunch' }).waitFor();
  expect(await threadPanel(alice).getByRole('article').count()).toBe(2);
  await threadPanel(alice).getByRole('link', { name: 'Close thread' }).click();
  await threadPanel(alice).waitFor({ state: 'detached' });
  expect(new URL(alice.url()).pathname).toBe(`/app/${app.stack.flow.path}`);
}, 60_000);

it('shows integration items in the team inbox, apart from chat, live, with markup in every field left as text', async () => {
  const source = await api(app.stack, 'POST', `/flows/${app.stack.flow.path}/sources`, { auth: app.stack.alice.auth, body: { name: 'CI', external_url: 'https://ci.example.test/' } });
  expect(source.status).toBe(201);
  const push = (body: Record<string, unknown>) => api(app.stack, 'POST', '/messages', { body: { flow_token: source.body.flow_token, ...body } });
  const attack = `<img src=x onerror="${ATTACK}">`;
  const first = await push({
    event: 'activity', author: { name: `${attack}ci-bot` }, title: `<script>${ATTACK}</script>started build 7`, body: `${attack}<b>compiling</b>`,
    external_thread_id: 'build-7',
    thread: {
      title: `${attack}Build 7 of main`, status: { value: 'running', color: 'yellow' },
      fields: [{ label: 'Branch', value: `<svg onload="${ATTACK}">main` }],
      actions: [{ '@type': 'ViewAction', name: `${attack}Logs`, url: 'https://ci.example.test/7' }],
    },
  });
  expect(first.status).toBe(201);

  const bob = await app.browser.newPage();
  await app.signIn(bob, app.stack.bob, `/app/${app.stack.flow.path}`);
  await bob.getByRole('status').waitFor({ state: 'detached' });
  await bob.getByRole('tab', { name: 'Inbox' }).click();
  const inbox = bob.getByRole('region', { name: 'Team inbox' });
  await inbox.getByRole('article').filter({ hasText: 'started build 7' }).waitFor();

  // A second item on the same thread arrives live and changes its state.
  const second = await push({ event: 'activity', author: { name: 'ci-bot' }, title: 'finished build 7', external_thread_id: 'build-7', thread: { title: `${attack}Build 7 of main`, status: { value: 'passed', color: 'green' }, fields: [{ label: 'Branch', value: `<svg onload="${ATTACK}">main` }] } });
  expect(second.status).toBe(201);
  const finished = inbox.getByRole('article').filter({ hasText: 'finished build 7' });
  await finished.waitFor();
  expect(await finished.getByText('Status: passed').count()).toBe(1);
  const items = await inbox.getByRole('article').allTextContents();
  expect(items).toHaveLength(2);
  // Newest first, every field as typed.
  expect(items[0]).toContain('finished build 7');
  expect(items[1]).toContain(`<script>${ATTACK}</script>started build 7`);
  expect(items[1]).toContain(`${attack}ci-bot`);
  expect(items[1]).toContain(`${attack}Build 7 of main`);
  expect(items[1]).toContain(`<svg onload="${ATTACK}">main`);
  // The body is HTML: its text shows, its elements are not made.
  expect(items[1]).toContain('compiling');
  const logs = finished.getByRole('link', { name: `${attack}Logs` });
  expect(await logs.getAttribute('href')).toBe('https://ci.example.test/7');
  expect(await logs.getAttribute('rel')).toBe('noopener noreferrer');
  expect(await inbox.locator('img, script, svg, b').count()).toBe(0);
  await bob.screenshot({ path: join(SCREENSHOTS, 'inbox.png') });

  // The item's thread opens beside the flow with its state; none of it ran.
  await finished.getByRole('link', { name: `${attack}Build 7 of main` }).click();
  await threadPanel(bob).getByRole('heading', { name: `${attack}Build 7 of main` }).waitFor();
  expect(await threadPanel(bob).getByText('Status: passed').count()).toBe(1);
  expect(await bob.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  // Chat stays chat: no integration item among its messages.
  await bob.getByRole('tab', { name: 'Chat' }).click();
  await flowList(bob).waitFor();
  expect(await flowList(bob).getByRole('article').filter({ hasText: 'build 7' }).count()).toBe(0);
}, 60_000);

it('keeps a post written offline across a reload and sends it once back online, with its uuid, never doubled', async () => {
  const alice = await app.browser.newPage({ expected: [/ERR_INTERNET_DISCONNECTED|Failed to fetch/] });
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.flow.path}`);
  await alice.getByRole('status').waitFor({ state: 'detached' });
  let offline = true;
  const uuids: string[] = [];
  await alice.route(`**/flows/${app.stack.flow.path}/messages`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    uuids.push(JSON.parse(route.request().postData() ?? '{}').uuid);
    return offline ? route.abort('internetdisconnected') : route.continue();
  });
  const composer = alice.getByRole('textbox', { name: 'Message' });
  await composer.fill('written on the train');
  await composer.press('Enter');
  await flowList(alice).getByRole('article').filter({ hasText: 'written on the train' }).getByText('waiting for the connection…').waitFor();

  await alice.reload();
  // Back after the reload, still waiting, and tried again with the same uuid.
  await flowList(alice).getByRole('article').filter({ hasText: 'written on the train' }).getByText('waiting for the connection…').waitFor();
  const beforeOnline = uuids.length;
  expect(beforeOnline).toBeGreaterThanOrEqual(2);
  expect(new Set(uuids).size).toBe(1);
  // What is kept names the post and where it goes, nothing else (no token, no cookie).
  const kept = await alice.evaluate(() => ({ session: Object.keys(sessionStorage), local: localStorage.length, cookie: document.cookie }));
  expect(kept).toEqual({ session: [`tributary.outbox.${app.stack.alice.id}`], local: 0, cookie: '' });

  offline = false;
  await alice.waitForFunction(() => !document.body.textContent?.includes('waiting for the connection'), undefined, { timeout: 30_000 });
  await flowList(alice).getByRole('article').filter({ hasText: 'written on the train' }).waitFor();
  expect(await flowList(alice).getByRole('article').filter({ hasText: 'written on the train' }).count()).toBe(1);
  expect(new Set(uuids)).toEqual(new Set([uuids[0]]));
  const stored = await api(app.stack, 'GET', `/flows/${app.stack.flow.path}/messages?search=${encodeURIComponent('written on the train')}`, { auth: app.stack.alice.auth });
  expect(stored.body).toHaveLength(1);
  expect(stored.body[0].uuid).toBe(uuids[0]);
  expect(await alice.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
}, 60_000);

it('pages search results past the first 100', async () => {
  const flow = await app.stack.directory.createFlow(app.stack.org.id, 'Search');
  await app.stack.directory.addFlowMember(flow.id, app.stack.alice.id);
  for (let i = 1; i <= 130; i++) {
    expect((await api(app.stack, 'POST', `/flows/${app.stack.org.name}/search/messages`, { auth: app.stack.alice.auth, body: { event: 'message', content: `needle ${i}` } })).status).toBe(201);
  }
  const alice = await app.browser.newPage();
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.org.name}/search`);
  await alice.getByRole('searchbox', { name: 'Search messages or filter by #tag' }).fill('needle');
  await alice.getByRole('searchbox', { name: 'Search messages or filter by #tag' }).press('Enter');
  const results = alice.getByRole('region', { name: 'Messages matching “needle”' });
  await results.getByRole('article').filter({ hasText: 'needle 130' }).waitFor();
  expect(await results.getByRole('article').count()).toBe(100);
  await results.getByRole('button', { name: 'Show earlier results' }).click();
  await results.getByRole('article').filter({ hasText: /^.*needle 1$/ }).waitFor();
  const texts = await results.getByRole('article').locator('.text').allTextContents();
  expect(texts).toEqual(Array.from({ length: 130 }, (_, i) => `needle ${i + 1}`));
  expect(await results.getByRole('button', { name: 'Show earlier results' }).count()).toBe(0);
}, 90_000);
