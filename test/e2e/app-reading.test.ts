/**
 * Reading in the app (issue 11, point 3; docs/app.md): a virtualized list over thousands of
 * messages, filtering by #tag and searching a flow, read markers kept on the server, and notices of
 * mentions in the page and through the browser's Notification API while the tab is hidden. Debian's
 * Chromium through playwright-core, as in app-app.browser.test.ts (test/support/app-app.browser.ts).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { article, DESKTOP, readAllMessages, SCREENSHOTS } from '../support/app-browser';
import { useAppStack } from '../support/app-stack';
import { api, type SeededUser } from '../support/stack';

// Seeding posts 2 000 messages as one user within a minute: above the default per-user limit.
const app = useAppStack({ env: { RATE_LIMIT: '100000' } });


/** A new flow of the seeded organization with these members; its path. */
async function newFlow(name: string, members: SeededUser[]): Promise<string> {
  const flow = await app.stack.directory.createFlow(app.stack.org.id, name);
  for (const u of members) await app.stack.directory.addFlowMember(flow.id, u.id);
  return `${app.stack.org.name}/${flow.parameterizedName}`;
}

async function post(path: string, content: string, auth = app.stack.bob.auth): Promise<number> {
  const r = await api(app.stack, 'POST', `/flows/${path}/messages`, { auth, body: { event: 'message', content } });
  expect(r.status).toBe(201);
  return r.body.id as number;
}

const flowItem = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Flows' }).getByRole('listitem').filter({ has: page.getByRole('link', { name, exact: true }) });

it('scrolls back through a 2 000-message flow, keeping far fewer articles in the page than messages, each once and in order', async () => {
  const path = await newFlow('Archive', [app.stack.alice, app.stack.bob]);
  const texts = Array.from({ length: 2000 }, (_, i) => `archived ${i + 1}.`);
  // A hundred at a time (the backend stores them in a few batches): the store's ids decide the order, which the REST listing below reports.
  for (let i = 0; i < texts.length; i += 100) await Promise.all(texts.slice(i, i + 100).map((t) => post(path, t)));
  const stored: string[] = [];
  for (let until = 0; ; ) {
    const r = await api(app.stack, 'GET', `/flows/${path}/messages?event=message&limit=100${until ? `&until_id=${until}` : ''}`, { auth: app.stack.alice.auth });
    stored.unshift(...r.body.map((m: { content: string }) => m.content));
    if (r.body.length < 100) break;
    until = r.body[0].id;
  }
  expect(stored).toHaveLength(2000);

  const page = await app.browser.newPage();
  await app.signIn(page, app.stack.alice, `/app/${path}`);
  await article(page, stored[1999]!).waitFor();
  // Scrolling to the top loads the page before, and again, until the beginning of the flow.
  const list = page.getByRole('log');
  while ((await page.getByRole('button', { name: /Load earlier messages|Loading…/ }).count()) > 0) {
    const size = Number(await page.locator('article[aria-setsize]').first().getAttribute('aria-setsize'));
    await list.evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.waitForFunction((before) => Number(document.querySelector('article[aria-setsize]')?.getAttribute('aria-setsize')) > before || !document.querySelector('.earlier'), size);
  }
  await list.evaluate((el) => {
    el.scrollTop = 0;
  });
  await article(page, stored[0]!).waitFor();
  expect(await article(page, stored[0]!).getAttribute('aria-posinset')).toBe('1');
  expect(await article(page, stored[0]!).getAttribute('aria-setsize')).toBe('2000');
  const inDom = await page.getByRole('article').count();
  console.log(`2 000 messages loaded, ${inDom} articles in the DOM`);
  expect(inDom).toBeLessThan(100);
  // Read through a tall window: the same rows in far fewer scroll steps.
  await page.setViewportSize({ width: DESKTOP.width, height: 3000 });
  expect(await readAllMessages(page)).toEqual(stored);
  // Away from the bottom, a new message does not move the reader; "Jump to newest" goes there.
  await list.evaluate((el) => {
    el.scrollTop = el.scrollHeight / 2;
  });
  // The window follows the scroll on its event, then on the rows' measured heights: what is on top
  // is read once the button shows the reader left the bottom and the top row stays put.
  await page.getByRole('button', { name: 'Jump to newest ↓' }).waitFor();
  const topRow = () => page.getByRole('article').first().textContent();
  let reading = await topRow();
  for (let settled = false; !settled; ) {
    await page.waitForTimeout(100);
    const now = await topRow();
    settled = now === reading;
    reading = now;
  }
  await post(path, 'a new one at the bottom');
  await page.locator('article[aria-setsize="2001"]').first().waitFor();
  await page.waitForTimeout(300);
  expect(await topRow()).toBe(reading);
  await page.getByRole('button', { name: 'Jump to newest ↓' }).click();
  await article(page, 'a new one at the bottom').waitFor();
  expect(app.browser.errors).toEqual([]);
}, 180_000);

it('filters a flow by a clicked #tag or a typed one, searches it, and goes back to the flow', async () => {
  const path = await newFlow('Releases', [app.stack.alice, app.stack.bob]);
  for (const content of ['shipped 2.1 #release', 'coffee machine is broken #office', 'shipped 2.2 #release #hotfix', 'the needle is in this haystack']) await post(path, content);
  const page = await app.browser.newPage();
  await app.signIn(page, app.stack.alice, `/app/${path}`);
  await article(page, 'the needle is in this haystack').waitFor();

  await article(page, 'shipped 2.1').getByRole('button', { name: 'Filter by #release' }).click();
  const results = page.getByRole('region', { name: 'Messages tagged #release' });
  await results.getByRole('article').first().waitFor();
  expect(await results.getByRole('article').locator('.text').allTextContents()).toEqual(['shipped 2.1 #release', 'shipped 2.2 #release #hotfix']);
  await page.screenshot({ path: join(SCREENSHOTS, 'tag-filter.png') });

  const box = page.getByRole('searchbox', { name: 'Search messages or filter by #tag' });
  expect(await box.inputValue()).toBe('#release');
  await box.fill('#office');
  await box.press('Enter');
  await page.getByRole('region', { name: 'Messages tagged #office' }).getByRole('article').filter({ hasText: 'coffee machine' }).waitFor();
  expect(await page.getByRole('region', { name: 'Messages tagged #office' }).getByRole('article').count()).toBe(1);

  await box.fill('needle haystack');
  await box.press('Enter');
  const found = page.getByRole('region', { name: 'Messages matching “needle haystack”' });
  await found.getByRole('article').first().waitFor();
  expect(await found.getByRole('article').locator('.text').allTextContents()).toEqual(['the needle is in this haystack']);
  await box.fill('nothing like this');
  await box.press('Enter');
  await page.getByText('No messages found.').waitFor();

  await page.getByRole('button', { name: 'Back to the flow' }).click();
  await page.getByRole('log', { name: 'Messages in Releases' }).waitFor();
  expect(await article(page, 'coffee machine').count()).toBe(1);
  expect(await box.inputValue()).toBe('');
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('keeps what was read on the server: unread counts survive a reload and show on another device', async () => {
  const path = await newFlow('Updates', [app.stack.alice, app.stack.bob]);
  await post(path, 'read before');
  const page = await app.browser.newPage();
  await app.signIn(page, app.stack.alice, `/app/${path}`);
  await article(page, 'read before').waitFor();
  await page.getByRole('link', { name: 'Main', exact: true }).click();
  await page.getByRole('heading', { name: 'Main' }).waitFor();
  for (const content of ['update one', 'update two', 'update three']) await post(path, content);
  await flowItem(page, 'Updates').locator('.badge', { hasText: '3' }).waitFor();

  // A reload forgets the live count: the server's read marker gives it back.
  await page.reload();
  await flowItem(page, 'Updates').locator('.badge', { hasText: '3' }).waitFor();
  // Another device of the same person agrees.
  const phone = await app.browser.newPage();
  await app.signIn(phone, app.stack.alice, `/app/${app.stack.flow.path}`);
  await flowItem(phone, 'Updates').locator('.badge', { hasText: '3' }).waitFor();

  const marked = page.waitForResponse((r) => r.url().endsWith(`/flows/${path}/read`) && r.request().method() === 'PUT' && r.ok());
  await page.getByRole('link', { name: 'Updates', exact: true }).click();
  await article(page, 'update three').waitFor();
  await marked;
  await page.getByRole('link', { name: 'Main', exact: true }).click();
  await page.reload();
  await page.getByRole('heading', { name: 'Main' }).waitFor();
  await flowItem(page, 'Updates').waitFor();
  expect(await flowItem(page, 'Updates').locator('.badge').count()).toBe(0);
  await phone.reload();
  await phone.getByRole('heading', { name: 'Main' }).waitFor();
  await flowItem(phone, 'Updates').waitFor();
  expect(await flowItem(phone, 'Updates').locator('.badge').count()).toBe(0);
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('counts a message posted while the app starts (after its flow list, before its subscription) once, without a reload', async () => {
  const path = await newFlow('Startup', [app.stack.alice, app.stack.bob]);
  await post(path, 'before the start');
  const page = await app.browser.newPage();
  // The app's first flow list is answered as it was read, but only after Bob has posted again:
  // the message falls between the unread count and the live subscription that follows it.
  let held = false;
  await page.route(/\/flows\?users=1$/, async (route) => {
    if (held) return route.continue();
    held = true;
    const response = await route.fetch();
    await post(path, 'during the start');
    await route.fulfill({ response });
  });
  await app.signIn(page, app.stack.alice, `/app/${app.stack.flow.path}`);
  expect(held).toBe(true);
  await flowItem(page, 'Startup').locator('.badge', { hasText: '2' }).waitFor();
  // Counted once: a live message adds one, not two.
  await post(path, 'after the start');
  await flowItem(page, 'Startup').locator('.badge', { hasText: '3' }).waitFor();
  await page.getByRole('link', { name: 'Startup', exact: true }).click();
  // The live events were shown first; the history read on opening adds the older one, each once.
  for (const text of ['before the start', 'during the start', 'after the start']) {
    await article(page, text).waitFor();
    expect(await article(page, text).count()).toBe(1);
  }
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('sends a read marker the server did not take again, without waiting for another message', async () => {
  const path = await newFlow('Retried', [app.stack.alice, app.stack.bob]);
  await post(path, 'to be read');
  const page = await app.browser.newPage({ expected: [/status of 503/] });
  // The first mark meets a server that cannot take it now.
  let refused = 0;
  await page.route(new RegExp(`/flows/${path}/read$`), (route) => (refused++ === 0 ? route.fulfill({ status: 503, contentType: 'application/json', body: '{"message":"try again"}' }) : route.continue()));
  await app.signIn(page, app.stack.alice, `/app/${app.stack.flow.path}`);
  const marked = page.waitForResponse((r) => r.url().endsWith(`/flows/${path}/read`) && r.request().method() === 'PUT' && r.ok());
  await page.getByRole('link', { name: 'Retried', exact: true }).click();
  await article(page, 'to be read').waitFor();
  await marked;
  expect(refused).toBe(2);
  const flows = await api(app.stack, 'GET', '/flows', { auth: app.stack.alice.auth });
  expect(flows.body.find((f: { name: string }) => f.name === 'Retried')).toMatchObject({ unread_count: 0 });
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('counts a file shared by someone else as unread, from the server and live', async () => {
  const path = await newFlow('Shared files', [app.stack.alice, app.stack.bob]);
  const share = async (name: string) => {
    const content = { data: Buffer.from(name).toString('base64'), file_name: name, content_type: 'text/plain' };
    expect((await api(app.stack, 'POST', `/flows/${path}/messages`, { auth: app.stack.bob.auth, body: { event: 'file', content } })).status).toBe(201);
  };
  await share('before.txt');
  const page = await app.browser.newPage();
  await app.signIn(page, app.stack.alice, `/app/${app.stack.flow.path}`);
  await flowItem(page, 'Shared files').locator('.badge', { hasText: '1' }).waitFor();
  await share('live.txt');
  await flowItem(page, 'Shared files').locator('.badge', { hasText: '2' }).waitFor();
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('sends the read marker still waiting for its turn when the page closes', async () => {
  const path = await newFlow('Closing', [app.stack.alice, app.stack.bob]);
  await post(path, 'read first');
  const page = await app.browser.newPage();
  await app.signIn(page, app.stack.alice, `/app/${app.stack.flow.path}`);
  const firstMark = page.waitForResponse((r) => r.url().endsWith(`/flows/${path}/read`) && r.ok());
  await page.getByRole('link', { name: 'Closing', exact: true }).click();
  await article(page, 'read first').waitFor();
  await firstMark;
  // Shown within a second of the first mark: its own waits for its turn (one mark a second).
  const last = await post(path, 'read last');
  await article(page, 'read last').waitFor();
  await page.close({ runBeforeUnload: true });
  const marker = async () => (await api(app.stack, 'GET', '/flows', { auth: app.stack.alice.auth })).body.find((f: { name: string }) => f.name === 'Closing').last_read_id;
  const until = Date.now() + 5000;
  while ((await marker()) !== last && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  expect(await marker()).toBe(last);
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('counts a private message sent while the app was closed, then each live one once', async () => {
  const { stack } = app;
  const dm = async (content: string) => expect((await api(stack, 'POST', `/private/${stack.alice.id}/messages`, { auth: stack.bob.auth, body: { event: 'message', content } })).status).toBe(201);
  await dm('while you were away');
  const page = await app.browser.newPage();
  await app.signIn(page, stack.alice, `/app/${stack.flow.path}`);
  const bob = page.getByRole('navigation', { name: 'People' }).getByRole('listitem').filter({ has: page.getByRole('link', { name: /bob/ }) });
  await bob.getByTitle('1 unread').waitFor();
  await dm('and now');
  await bob.getByTitle('2 unread').waitFor();
  await page.waitForTimeout(300);
  expect(await bob.getByTitle('2 unread').count()).toBe(1);
  expect(app.browser.errors).toEqual([]);
}, 60_000);

/**
 * Records every `new Notification` the page makes, and lets the test hide the tab: headless
 * Chromium keeps a page visible, so `visibilityState` answers what the test set, and the app hears
 * the same `visibilitychange` event a browser sends.
 */
const NOTIFICATION_SPY = () => {
  const w = window as unknown as { __notifications: { title: string; body?: string }[]; __hidden: boolean; __setHidden(h: boolean): void };
  w.__notifications = [];
  w.__hidden = false;
  w.__setHidden = (hidden) => {
    w.__hidden = hidden;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  Object.defineProperty(document, 'visibilityState', { get: () => (w.__hidden ? 'hidden' : 'visible') });
  Object.defineProperty(document, 'hidden', { get: () => w.__hidden });
  const Real = window.Notification;
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      w.__notifications.push({ title, ...(options?.body !== undefined ? { body: options.body } : {}) });
      super(title, options);
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  Object.defineProperty(Recorded, 'requestPermission', { value: (...args: []) => Real.requestPermission(...args) });
  window.Notification = Recorded;
};

it('notifies a mention: a toast in the page, the browser\'s Notification while the tab is hidden', async () => {
  const path = await newFlow('Pager', [app.stack.alice, app.stack.bob]);
  const page = await app.browser.newPage({ context: { permissions: ['notifications'] } });
  await page.addInitScript(NOTIFICATION_SPY);
  await app.signIn(page, app.stack.alice, `/app/${app.stack.flow.path}`);
  await page.getByRole('status').waitFor({ state: 'detached' });
  // Permission granted already: nothing to ask.
  expect(await page.getByRole('button', { name: 'Notify me of mentions' }).count()).toBe(0);

  // Visible, mentioned in another flow: a toast that opens it.
  await post(path, '@alice can you look at the pager?');
  const toast = page.getByRole('complementary', { name: 'Notifications' }).getByRole('button', { name: /bob mentioned you in Pager/ });
  await toast.waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'mention-toast.png') });
  await toast.click();
  await page.getByRole('heading', { name: 'Pager' }).waitFor();

  // Hidden: the browser's notification, not a toast; a message that mentions nobody raises none.
  await page.evaluate(() => (window as unknown as { __setHidden(h: boolean): void }).__setHidden(true));
  await post(app.stack.flow.path, 'no mention here');
  await post(app.stack.flow.path, 'ping @alice, the deploy needs you');
  await page.waitForFunction(() => (window as unknown as { __notifications: unknown[] }).__notifications.length > 0);
  expect(await page.evaluate(() => (window as unknown as { __notifications: unknown[] }).__notifications)).toEqual([
    { title: 'bob mentioned you in Main', body: 'ping @alice, the deploy needs you' },
  ]);
  expect(await page.locator('.toast').count()).toBe(0);
  expect(app.browser.errors).toEqual([]);
}, 60_000);
