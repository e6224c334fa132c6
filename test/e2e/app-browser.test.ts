/**
 * The app in a real browser (issue 11, point 10; docs/app.md): Debian's Chromium driven by
 * playwright-core, never a downloaded browser. Two people in two browser contexts sign in on a flow's
 * URL, chat live, and markup in a message stays text. Saves screenshots of the main screens
 * (below: where). Needs `npm run build:app` and the `chromium` package (the test-services role
 * installs it).
 */
import { join } from 'node:path';
import { waitFor } from '../../streaming-api/testing/stream-test-harness';
import { article, PHONE, readAllMessages, SCREENSHOTS } from '../support/app-browser';
import { useAppStack } from '../support/app-stack';
import { api, seedUser } from '../support/stack';

const app = useAppStack();


it('two people sign in on the flow\'s URL, see it in the flow list, and chat live (Enter sends, Shift+Enter is a new line, typing shows, @mentions complete)', async () => {
  const [alice, bob] = [await app.browser.newPage(), await app.browser.newPage()];
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.flow.path}`, 'login.png');
  await app.signIn(bob, app.stack.bob, `/app/${app.stack.flow.path}`);
  // The page asked for, not a default one.
  expect(new URL(alice.url()).pathname).toBe(`/app/${app.stack.flow.path}`);
  await alice.getByRole('heading', { name: 'Main' }).waitFor();
  const link = alice.getByRole('navigation', { name: 'Flows' }).getByRole('link', { name: 'Main', exact: true });
  expect(await link.getAttribute('href')).toBe(`/app/${app.stack.flow.path}`);

  const composer = alice.getByRole('textbox', { name: 'Message' });
  await composer.fill('Hello Bob, the deploy is done');
  await composer.press('Enter');
  await article(bob, 'Hello Bob, the deploy is done').waitFor();
  await composer.pressSequentially('first line');
  await composer.press('Shift+Enter');
  await composer.pressSequentially('second line');
  await composer.press('Enter');
  const twoLines = article(bob, 'first line');
  await twoLines.waitFor();
  expect(await twoLines.locator('.text').textContent()).toBe('first line\nsecond line');

  // Typing shows on the other screen (once Bob's connection is live), and ends with his message.
  await bob.getByRole('status').waitFor({ state: 'detached' });
  const bobComposer = bob.getByRole('textbox', { name: 'Message' });
  await bobComposer.pressSequentially('Thanks');
  await alice.getByText('bob is typing…').waitFor();
  await bobComposer.pressSequentially(' Alice!');
  await bobComposer.press('Enter');
  await article(alice, 'Thanks Alice!').waitFor();
  await alice.getByText('bob is typing…').waitFor({ state: 'detached' });
  expect(await bob.getByText('bob is typing…').count()).toBe(0);

  // @mention completion: the list the composer controls, Enter completes instead of sending.
  await composer.pressSequentially('Nice work @bo');
  const options = alice.getByRole('listbox', { name: 'People to mention' });
  expect(await options.getByRole('option').allTextContents()).toEqual(['bob Bob']);
  await composer.press('Enter');
  expect(await composer.inputValue()).toBe('Nice work @bob ');
  expect(await options.count()).toBe(0);
  await composer.pressSequentially('see you');
  await composer.press('Enter');
  await article(bob, 'Nice work @bob see you').waitFor();
  // Each message once on each screen: the post's answer and its live event merge by id.
  for (const page of [alice, bob]) {
    for (const text of ['Hello Bob, the deploy is done', 'first line', 'Thanks Alice!', 'Nice work @bob']) expect(await article(page, text).count()).toBe(1);
  }
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('counts what arrives in another flow as unread until it is opened; the keyboard moves between flows and to the composer', async () => {
  const ops = await app.stack.directory.createFlow(app.stack.org.id, 'Ops');
  for (const u of [app.stack.alice, app.stack.bob]) await app.stack.directory.addFlowMember(ops.id, u.id);
  const alice = await app.browser.newPage();
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.flow.path}`);
  const opsItem = alice.getByRole('navigation', { name: 'Flows' }).getByRole('listitem').filter({ has: alice.getByRole('link', { name: 'Ops', exact: true }) });
  await opsItem.waitFor();
  for (const content of ['Disk at 91% on db-2', 'Rotating logs now']) {
    expect((await api(app.stack, 'POST', `/flows/${app.stack.org.name}/ops/messages`, { auth: app.stack.bob.auth, body: { event: 'message', content } })).status).toBe(201);
  }
  await opsItem.locator('.badge', { hasText: '2' }).waitFor();
  await alice.screenshot({ path: join(SCREENSHOTS, 'flow.png') });
  // Alt+Shift+↓ opens the next flow with something unread; the composer has the focus there.
  await alice.keyboard.press('Alt+Shift+ArrowDown');
  await article(alice, 'Rotating logs now').waitFor();
  expect(new URL(alice.url()).pathname).toBe(`/app/${app.stack.org.name}/ops`);
  expect(await opsItem.locator('.badge').count()).toBe(0);
  expect(await alice.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Message');
  // Alt+↑ goes back; Alt+M finds the composer again from anywhere.
  await alice.getByRole('link', { name: 'Main', exact: true }).focus();
  await alice.keyboard.press('Alt+ArrowUp');
  await alice.getByRole('heading', { name: 'Main' }).waitFor();
  await alice.getByRole('button', { name: 'Log out' }).focus();
  await alice.keyboard.press('Alt+m');
  expect(await alice.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Message');
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('says when the connection drops, reconnects, and shows what it missed once, in order', async () => {
  // The dropped and refused sockets are the story: the browser logs them itself.
  const alice = await app.browser.newPage({ expected: [/WebSocket/] });
  let blocked = false;
  const open: { close(): Promise<void> }[] = [];
  // Between the page and the server: a drop closes the page's socket; while blocked, reconnects are refused.
  await alice.routeWebSocket(/\/stream\/ws$/, (ws) => {
    if (blocked) return void ws.close({ code: 1001, reason: 'test: network down' });
    ws.connectToServer();
    open.push(ws);
  });
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.flow.path}`);
  await alice.getByRole('status').filter({ hasText: 'Connecting' }).waitFor({ state: 'detached' });
  blocked = true;
  for (const ws of open.splice(0)) await ws.close();
  await alice.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
  const missed = ['missed one', 'missed two', 'missed three'];
  for (const content of missed) {
    expect((await api(app.stack, 'POST', `/flows/${app.stack.flow.path}/messages`, { auth: app.stack.bob.auth, body: { event: 'message', content } })).status).toBe(201);
  }
  blocked = false;
  await article(alice, 'missed three').waitFor();
  await alice.getByRole('status').waitFor({ state: 'detached' });
  const texts = await alice.getByRole('article').locator('.text').allTextContents();
  expect(texts.filter((t) => missed.includes(t))).toEqual(missed);
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('sends a post again when its answer was lost (same uuid), and it shows once on both screens, stored once', async () => {
  // The reset answer is the story: the browser logs it itself.
  const [alice, bob] = [await app.browser.newPage({ expected: [/ERR_CONNECTION_RESET|Failed to fetch/] }), await app.browser.newPage()];
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.flow.path}`);
  await app.signIn(bob, app.stack.bob, `/app/${app.stack.flow.path}`);
  let losing = true;
  const uuids: string[] = [];
  // The server stores the first try, but its answer never reaches the page (a connection reset).
  await alice.route(`**/flows/${app.stack.flow.path}/messages`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    uuids.push(JSON.parse(route.request().postData() ?? '{}').uuid);
    if (!losing) return route.continue();
    losing = false;
    await route.fetch();
    await route.abort('connectionreset');
  });
  const composer = alice.getByRole('textbox', { name: 'Message' });
  await composer.fill('the answer to this got lost');
  await composer.press('Enter');
  await article(bob, 'the answer to this got lost').waitFor();
  // Alice's page sends it again by itself after its backoff, with the same uuid, and gets the stored message back.
  await waitFor(() => uuids.length === 2, 'the second try', 10_000);
  expect(uuids[1]).toBe(uuids[0]);
  await alice.waitForFunction(() => !document.body.textContent?.includes('waiting for the connection') && !document.body.textContent?.includes('sending…'));
  for (const page of [alice, bob]) expect(await article(page, 'the answer to this got lost').count()).toBe(1);
  const stored = await api(app.stack, 'GET', `/flows/${app.stack.flow.path}/messages?search=${encodeURIComponent('answer to this got lost')}`, { auth: app.stack.alice.auth });
  expect(stored.body).toHaveLength(1);
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('scrolls back: the newest 100 messages first, the earlier ones on demand, each once (the list holds only the rows in view)', async () => {
  const history = await app.stack.directory.createFlow(app.stack.org.id, 'History');
  await app.stack.directory.addFlowMember(history.id, app.stack.alice.id);
  for (let i = 1; i <= 130; i++) {
    expect((await api(app.stack, 'POST', `/flows/${app.stack.org.name}/history/messages`, { auth: app.stack.alice.auth, body: { event: 'message', content: `entry ${i}.` } })).status).toBe(201);
  }
  const page = await app.browser.newPage();
  await app.signIn(page, app.stack.alice, `/app/${app.stack.org.name}/history`);
  await article(page, 'entry 130.').waitFor();
  // The newest page is loaded (100 of them), but only the rows in view are in the DOM.
  expect(await article(page, 'entry 130.').getAttribute('aria-setsize')).toBe('100');
  expect(await page.getByRole('article').count()).toBeLessThan(100);
  // Bringing the button into view scrolls near the top, which loads the earlier page by itself and
  // swaps the button for "Loading…": a mouse click, which scrolls first, could find its target gone
  // (a race this test once lost on a busy machine). Focus it and press Enter, as a keyboard user
  // does; whichever starts the load, the earlier page must arrive once.
  await page.getByRole('button', { name: 'Load earlier messages' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('article[aria-setsize="130"]').first().waitFor();
  const texts = await readAllMessages(page);
  expect(texts).toEqual(Array.from({ length: 130 }, (_, i) => `entry ${i + 1}.`));
  expect(await page.getByRole('button', { name: 'Load earlier messages' }).count()).toBe(0);
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('edits and deletes one\'s own message, live on the other screen; nobody else\'s', async () => {
  const [alice, bob] = [await app.browser.newPage(), await app.browser.newPage()];
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.flow.path}`);
  await app.signIn(bob, app.stack.bob, `/app/${app.stack.flow.path}`);
  const composer = alice.getByRole('textbox', { name: 'Message' });
  for (const text of ['the build is grean', 'a message to take back']) {
    await composer.fill(text);
    await composer.press('Enter');
    await article(bob, text).waitFor();
  }
  const typo = article(alice, 'the build is grean');
  await typo.hover();
  await typo.getByRole('button', { name: 'Edit' }).click();
  const box = alice.getByRole('textbox', { name: 'Edit message' });
  await box.fill('the build is green');
  await box.press('Enter');
  const fixed = article(bob, 'the build is green');
  await fixed.waitFor();
  expect(await fixed.textContent()).toContain('(edited)');
  alice.once('dialog', (d) => void d.accept());
  const regret = article(alice, 'a message to take back');
  await regret.hover();
  await regret.getByRole('button', { name: 'Delete' }).click();
  await article(bob, 'a message to take back').waitFor({ state: 'detached' });
  expect(await article(alice, 'a message to take back').count()).toBe(0);
  // Bob may not change Alice's words: no buttons on her messages.
  expect(await article(bob, 'the build is green').getByRole('button', { name: 'Edit' }).count()).toBe(0);
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('talks privately: a signed-out visit of /app/private/:id lands there, who is online shows, and both sides see the other live', async () => {
  const dave = await seedUser(app.stack.directory, 'dave');
  await app.stack.directory.addOrganizationMember(app.stack.org.id, dave.id, false);
  await app.stack.directory.addFlowMember(app.stack.flow.id, dave.id);
  const [alice, bob] = [await app.browser.newPage(), await app.browser.newPage()];
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.flow.path}`);
  await app.signIn(bob, app.stack.bob, `/app/private/${app.stack.alice.id}`);
  await bob.getByRole('heading', { name: 'alice' }).waitFor();
  // Bob's open app reports him active; Dave, new, is offline until his app is open, and Alice sees that live.
  const people = alice.getByRole('navigation', { name: 'People' });
  await people.getByRole('listitem').filter({ hasText: 'bob' }).getByRole('img', { name: 'online' }).waitFor();
  const daveStatus = people.getByRole('listitem').filter({ hasText: 'dave' }).getByRole('img');
  expect(await daveStatus.getAttribute('aria-label')).toBe('offline');
  await app.signIn(await app.browser.newPage(), dave, `/app/${app.stack.flow.path}`);
  await people.getByRole('listitem').filter({ hasText: 'dave' }).getByRole('img', { name: 'online' }).waitFor();
  await people.getByRole('link', { name: 'bob', exact: true }).click();
  await alice.getByRole('heading', { name: 'bob' }).waitFor();
  expect(new URL(alice.url()).pathname).toBe(`/app/private/${app.stack.bob.id}`);
  await alice.getByRole('textbox', { name: 'Message' }).fill('psst, a private word');
  await alice.getByRole('textbox', { name: 'Message' }).press('Enter');
  await article(bob, 'psst, a private word').waitFor();
  await bob.getByRole('textbox', { name: 'Message' }).fill('got it, privately');
  await bob.getByRole('textbox', { name: 'Message' }).press('Enter');
  await article(alice, 'got it, privately').waitFor();
  for (const page of [alice, bob]) for (const text of ['psst, a private word', 'got it, privately']) expect(await article(page, text).count()).toBe(1);
  // Not in the flow: the private words stay out of it.
  await alice.getByRole('navigation', { name: 'Flows' }).getByRole('link', { name: 'Main', exact: true }).click();
  await alice.getByRole('heading', { name: 'Main' }).waitFor();
  expect(await article(alice, 'psst, a private word').count()).toBe(0);
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('shows markup in a message as text: an <img onerror> and a <script> never run', async () => {
  const [alice, bob] = [await app.browser.newPage({ viewport: PHONE }), await app.browser.newPage()];
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.flow.path}`);
  await app.signIn(bob, app.stack.bob, `/app/${app.stack.flow.path}`);
  const attacks = ['<img src=x onerror="window.__xss=1">', '<script>window.__xss=2</script>'];
  for (const attack of attacks) {
    await bob.getByRole('textbox', { name: 'Message' }).fill(attack);
    await bob.getByRole('textbox', { name: 'Message' }).press('Enter');
  }
  for (const attack of attacks) expect(await article(alice, attack).locator('.text').textContent()).toBe(attack);
  for (const page of [alice, bob]) {
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('.messages img, .messages script').count()).toBe(0);
  }
  // 375 px wide: the flow list above, the messages and the composer below, nothing cut off sideways.
  expect(await alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await alice.screenshot({ path: join(SCREENSHOTS, 'flow-phone.png') });
  expect(app.browser.errors).toEqual([]);
}, 60_000);

it('logging out revokes the session: a reload shows the login form again', async () => {
  const page = await app.browser.newPage();
  await app.signIn(page, app.stack.bob, '/app/');
  // The home page opens the first flow.
  await page.waitForURL(`${app.stack.url}/app/${app.stack.flow.path}`);
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  expect(await page.getByRole('textbox', { name: 'Message' }).count()).toBe(0);
}, 60_000);

// Last: it adds a flow whose name sorts first, which would change where the home page leads.
it('renders markdown (bold, links, code) while script in a message, a name or a flow title never runs (ADR 017)', async () => {
  const hostile = await app.stack.directory.createFlow(app.stack.org.id, '<script>window.__xss=4</script>');
  for (const u of [app.stack.alice, app.stack.bob]) await app.stack.directory.addFlowMember(hostile.id, u.id);
  await app.stack.directory.updateUser(app.stack.bob.id, { name: '<img src=x onerror="window.__xss=3">' });
  const alice = await app.browser.newPage();
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.flow.path}`);
  const post = async (content: string) => expect((await api(app.stack, 'POST', `/flows/${app.stack.flow.path}/messages`, { auth: app.stack.bob.auth, body: { event: 'message', content } })).status).toBe(201);
  await post('**Deploy** done: see [the log](https://ci.example/runs/7) and run `make check`');
  await post('[click me](javascript:window.__xss=5) <a href="javascript:window.__xss=6">or me</a> <svg onload="window.__xss=7">');

  const rendered = article(alice, 'Deploy done');
  await rendered.waitFor();
  expect(await rendered.locator('.text strong').textContent()).toBe('Deploy');
  expect(await rendered.locator('.text code').textContent()).toBe('make check');
  const link = rendered.getByRole('link', { name: 'the log' });
  expect(await link.getAttribute('href')).toBe('https://ci.example/runs/7');
  expect(await link.getAttribute('target')).toBe('_blank');
  expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
  // The javascript: links stay text, the markup shows as typed.
  const attack = article(alice, 'click me');
  await attack.waitFor();
  expect(await attack.locator('.text').getByRole('link').count()).toBe(0);
  expect(await attack.locator('.text').textContent()).toBe('[click me](javascript:window.__xss=5) <a href="javascript:window.__xss=6">or me</a> <svg onload="window.__xss=7">');

  // A name with markup: shown as text where the app shows names (the @mention list).
  const composer = alice.getByRole('textbox', { name: 'Message' });
  await composer.pressSequentially('@bo');
  expect(await alice.getByRole('listbox', { name: 'People to mention' }).getByRole('option').allTextContents()).toEqual(['bob <img src=x onerror="window.__xss=3">']);
  await composer.press('Escape');
  // A flow title with markup: a link named by it in the flow list, and the heading once opened.
  const hostileLink = alice.getByRole('navigation', { name: 'Flows' }).getByRole('link', { name: '<script>window.__xss=4</script>', exact: true });
  await hostileLink.click();
  await alice.getByRole('heading', { name: '<script>window.__xss=4</script>' }).waitFor();

  expect(await alice.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  expect(await alice.evaluate(() => document.querySelectorAll('script:not([src]), img, svg, [onerror], [onload], [onclick], a[href^="javascript:" i]').length)).toBe(0);
  expect(app.browser.errors).toEqual([]);
  await app.stack.directory.updateUser(app.stack.bob.id, { name: 'Bob' });
}, 60_000);
