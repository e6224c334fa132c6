/**
 * Changes to a member's flows reach an open app at once, in Debian's Chromium (docs/app.md): being
 * added to a flow puts it in the sidebar and follows it live; a rename shows the new name; an
 * archived flow keeps its history on screen and puts a note where the composer was. The app reads
 * its flow list again on `flow-add`, `flow-remove` and `flow-update`, none of which carries an id.
 */
import { join } from 'node:path';
import { SCREENSHOTS } from '../support/app-browser';
import { useAppStack } from '../support/app-stack';
import { api } from '../support/stack';

const app = useAppStack();
afterEach(() => expect(app.browser.errors).toEqual([]));

it('a member sees a flow they were added to, a rename and an archiving without reloading', async () => {
  const { stack } = app;
  const page = await app.browser.newPage();
  await app.signIn(page, stack.bob, `/app/${stack.flow.path}`);
  await page.getByRole('status').filter({ hasText: 'Connecting' }).waitFor({ state: 'detached' });
  const flows = page.getByRole('navigation', { name: 'Flows' });
  const said = `before the archive ${Date.now()}`;
  expect((await api(stack, 'POST', `/flows/${stack.flow.path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: said } })).status).toBe(201);
  await page.getByText(said).waitFor();

  // Added by the organization's admin to a new flow: it appears, and its messages count as unread.
  const made = await api(stack, 'POST', `/flows/${stack.org.name}`, { auth: stack.alice.auth, body: { name: 'Side room' } });
  expect(made.status).toBe(201);
  const sidePath = `${stack.org.name}/${made.body.parameterized_name}`;
  expect((await api(stack, 'POST', `/flows/${sidePath}/users`, { auth: stack.alice.auth, body: { id: stack.bob.id } })).status).toBe(200);
  const side = flows.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Side room' }) });
  await side.waitFor();
  // The app follows the new flow live from when its subscription is confirmed: "Connecting…" until
  // then (set in the same render that shows the flow).
  await page.getByRole('status').filter({ hasText: 'Connecting' }).waitFor({ state: 'detached' });
  expect((await api(stack, 'POST', `/flows/${sidePath}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: 'over here' } })).status).toBe(201);
  await side.getByTitle('1 unread').waitFor();

  // Renamed: the sidebar and the open flow's header say the new name; the flow's address stays.
  expect((await api(stack, 'PUT', `/flows/${stack.flow.path}`, { auth: stack.alice.auth, body: { name: 'Renamed room' } })).status).toBe(200);
  await flows.getByRole('link', { name: 'Renamed room' }).waitFor();
  await page.getByRole('heading', { name: 'Renamed room' }).waitFor();
  const composer = page.getByRole('textbox', { name: 'Message' });
  expect(await composer.isVisible()).toBe(true);

  // Archived: the history stays, the composer gives way to a note (a post would be refused: 403).
  expect((await api(stack, 'PUT', `/flows/${stack.flow.path}`, { auth: stack.alice.auth, body: { disabled: true } })).status).toBe(200);
  await page.getByText('This flow is archived: you can read it, but nobody can post to it.').waitFor();
  expect(await composer.count()).toBe(0);
  expect(await page.getByText(said).isVisible()).toBe(true);
  expect(page.url()).toBe(`${stack.url}/app/${stack.flow.path}`);
  await page.screenshot({ path: join(SCREENSHOTS, 'flow-archived.png') });
  expect((await api(stack, 'POST', `/flows/${stack.flow.path}/messages`, { auth: stack.bob.auth, body: { event: 'message', content: 'too late' } })).status).toBe(403);
}, 60_000);

it("an open \"Flow settings\" panel shows the join link another member makes, replaces or turns off", async () => {
  const { stack } = app;
  const made = await api(stack, 'POST', `/flows/${stack.org.name}`, { auth: stack.alice.auth, body: { name: 'Visitors', access_mode: 'link' } });
  expect(made.status).toBe(201);
  const path = `${stack.org.name}/${made.body.parameterized_name}`;
  expect((await api(stack, 'POST', `/flows/${path}/users`, { auth: stack.alice.auth, body: { id: stack.bob.id } })).status).toBe(200);
  const page = await app.browser.newPage();
  await app.signIn(page, stack.bob, `/app/${path}`);
  await page.getByRole('status').filter({ hasText: 'Connecting' }).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Flow settings' }).click();
  const settings = page.getByRole('region', { name: 'Flow settings' });
  await settings.getByText('Anyone with this link can join, from outside the organization too.').waitFor();
  const field = settings.getByRole('textbox', { name: 'Join link' });
  expect(await field.inputValue()).toBe('');

  const shows = async (link: string) => {
    await page.waitForFunction(([input, want]) => (input as HTMLInputElement).value === want, [await field.elementHandle(), link] as const);
  };
  const first = await api(stack, 'POST', `/flows/${path}/join_url`, { auth: stack.alice.auth });
  expect(first.status).toBe(201);
  await shows(first.body.join_url);
  const second = await api(stack, 'POST', `/flows/${path}/join_url`, { auth: stack.alice.auth });
  expect(second.body.join_url).not.toBe(first.body.join_url);
  await shows(second.body.join_url);
  expect((await api(stack, 'DELETE', `/flows/${path}/join_url`, { auth: stack.alice.auth })).status).toBe(204);
  await shows('');
  expect(await settings.getByRole('button', { name: 'Copy join link' }).isDisabled()).toBe(true);
}, 60_000);

it('a flow lost (blocked) and given back (unblocked) is followed live again', async () => {
  const { stack } = app;
  const made = await api(stack, 'POST', `/flows/${stack.org.name}`, { auth: stack.alice.auth, body: { name: 'Regained' } });
  const path = `${stack.org.name}/${made.body.parameterized_name}`;
  // Bob reads another flow meanwhile (the first test archived the stack's own).
  const lobby = await api(stack, 'POST', `/flows/${stack.org.name}`, { auth: stack.alice.auth, body: { name: 'Lobby' } });
  const lobbyPath = `${stack.org.name}/${lobby.body.parameterized_name}`;
  for (const p of [path, lobbyPath]) expect((await api(stack, 'POST', `/flows/${p}/users`, { auth: stack.alice.auth, body: { id: stack.bob.id } })).status).toBe(200);
  const page = await app.browser.newPage();
  await app.signIn(page, stack.bob, `/app/${lobbyPath}`);
  const connecting = page.getByRole('status').filter({ hasText: 'Connecting' });
  await connecting.waitFor({ state: 'detached' });
  const item = page.getByRole('navigation', { name: 'Flows' }).getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Regained' }) });
  await item.waitFor();

  expect((await api(stack, 'PUT', `/flows/${path}/users/${stack.bob.id}`, { auth: stack.alice.auth, body: { disabled: true } })).status).toBe(200);
  await item.waitFor({ state: 'detached' });
  expect((await api(stack, 'PUT', `/flows/${path}/users/${stack.bob.id}`, { auth: stack.alice.auth, body: { disabled: false } })).status).toBe(200);
  await item.waitFor();
  await connecting.waitFor({ state: 'detached' });
  expect((await api(stack, 'POST', `/flows/${path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content: 'welcome back' } })).status).toBe(201);
  await item.getByTitle('1 unread').waitFor();
}, 60_000);

it('a flow read before, lost, and given back with messages posted meanwhile counts each of them once', async () => {
  const { stack } = app;
  const post = async (path: string, content: string) => expect((await api(stack, 'POST', `/flows/${path}/messages`, { auth: stack.alice.auth, body: { event: 'message', content } })).status).toBe(201);
  const made = await api(stack, 'POST', `/flows/${stack.org.name}`, { auth: stack.alice.auth, body: { name: 'Returned' } });
  const path = `${stack.org.name}/${made.body.parameterized_name}`;
  const lobby = await api(stack, 'POST', `/flows/${stack.org.name}`, { auth: stack.alice.auth, body: { name: 'Foyer' } });
  const lobbyPath = `${stack.org.name}/${lobby.body.parameterized_name}`;
  for (const p of [path, lobbyPath]) expect((await api(stack, 'POST', `/flows/${p}/users`, { auth: stack.alice.auth, body: { id: stack.bob.id } })).status).toBe(200);
  await post(path, 'seen before');
  // Bob reads the flow (the app holds its history), then moves to another.
  const page = await app.browser.newPage();
  await app.signIn(page, stack.bob, `/app/${path}`);
  await page.getByRole('article').filter({ hasText: 'seen before' }).waitFor();
  await page.getByRole('link', { name: 'Foyer', exact: true }).click();
  await page.getByRole('heading', { name: 'Foyer' }).waitFor();
  const item = page.getByRole('navigation', { name: 'Flows' }).getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Returned' }) });
  const connecting = page.getByRole('status').filter({ hasText: 'Connecting' });

  expect((await api(stack, 'PUT', `/flows/${path}/users/${stack.bob.id}`, { auth: stack.alice.auth, body: { disabled: true } })).status).toBe(200);
  await item.waitFor({ state: 'detached' });
  await post(path, 'while away one');
  await post(path, 'while away two');
  expect((await api(stack, 'PUT', `/flows/${path}/users/${stack.bob.id}`, { auth: stack.alice.auth, body: { disabled: false } })).status).toBe(200);
  // The flow list's count holds both; the subscription backfills them from the history held, and they are not counted again.
  await item.getByTitle('2 unread').waitFor();
  await connecting.waitFor({ state: 'detached' });
  await post(path, 'after the return');
  await item.getByTitle('3 unread').waitFor();
  expect(app.browser.errors).toEqual([]);
}, 60_000);
