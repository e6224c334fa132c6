/**
 * A flow's join link in the app (docs/adr/030-join-links.md, docs/app.md), in Debian's Chromium: a
 * member opens "Flow settings", makes the link, copies it with "Copy join link", and the copied link
 * lets someone from outside the organization in; a new link replaces it, and turning it off empties it.
 */
import { join } from 'node:path';
import { SCREENSHOTS } from '../support/app-browser';
import { useAppStack } from '../support/app-stack';
import { api, seedUser } from '../support/stack';

const app = useAppStack();
afterEach(() => expect(app.browser.errors).toEqual([]));

it('a member makes, copies, replaces and turns off the join link of a link-mode flow from its settings', async () => {
  const { stack } = app;
  const made = await api(stack, 'POST', `/flows/${stack.org.name}`, { auth: stack.alice.auth, body: { name: 'Guests', access_mode: 'link' } });
  expect(made.status).toBe(201);
  const flowPath = new URL(made.body.url).pathname;
  const page = await app.browser.newPage({ context: { permissions: ['clipboard-read', 'clipboard-write'] } });
  await app.signIn(page, stack.alice, `/app/${stack.org.name}/guests`);

  await page.getByRole('button', { name: 'Flow settings' }).click();
  const settings = page.getByRole('region', { name: 'Flow settings' });
  const field = settings.getByRole('textbox', { name: 'Join link' });
  await settings.getByText('Anyone with this link can join, from outside the organization too.').waitFor();
  expect(await settings.getByRole('button', { name: 'Copy join link' }).isDisabled()).toBe(true);
  await settings.getByRole('button', { name: 'New join link' }).click();
  await settings.getByText('A new join link: the old one no longer works').waitFor();
  const shown = await field.inputValue();
  expect((await api(stack, 'GET', `${flowPath}/join_url`, { auth: stack.alice.auth })).body.join_url).toBe(shown);

  await settings.getByRole('button', { name: 'Copy join link' }).click();
  await settings.getByText('Join link copied').waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(shown);
  await page.screenshot({ path: join(SCREENSHOTS, 'join-link.png') });
  const guest = await seedUser(stack.directory, 'guest');
  expect((await api(stack, 'POST', new URL(copied).pathname, { auth: guest.auth })).body.joined).toBe(true);

  await settings.getByRole('button', { name: 'New join link' }).click();
  await page.waitForFunction(([input, old]) => (input as HTMLInputElement).value !== old, [await field.elementHandle(), shown] as const);
  expect((await api(stack, 'GET', new URL(copied).pathname, { auth: stack.carol.auth })).status).toBe(404);

  await settings.getByRole('button', { name: 'Turn off join link' }).click();
  await settings.getByText('Join link turned off').waitFor();
  expect(await field.inputValue()).toBe('');
  expect(await settings.getByRole('button', { name: 'Copy join link' }).isDisabled()).toBe(true);
  expect((await api(stack, 'GET', `${flowPath}/join_url`, { auth: stack.alice.auth })).body.join_url).toBeNull();
}, 60_000);

it('shows an organization-mode flow\'s own link to copy, and says an invitation-mode flow has none', async () => {
  const { stack } = app;
  const made = await api(stack, 'POST', `/flows/${stack.org.name}`, { auth: stack.alice.auth, body: { name: 'Everyone', access_mode: 'organization' } });
  const page = await app.browser.newPage();
  await app.signIn(page, stack.alice, `/app/${stack.flow.path}`);
  await page.getByRole('button', { name: 'Flow settings' }).click();
  const settings = page.getByRole('region', { name: 'Flow settings' });
  await settings.getByText('People join this flow by invitation.').waitFor();
  expect(await settings.getByRole('button').count()).toBe(0);

  await page.goto(`${stack.url}/app/${stack.org.name}/everyone`);
  await page.getByRole('button', { name: 'Flow settings' }).click();
  await settings.getByText('Anyone in the organization can join with this link.').waitFor();
  expect(await settings.getByRole('textbox', { name: 'Join link' }).inputValue()).toBe(made.body.join_url);
  expect(await settings.getByRole('button').allTextContents()).toEqual(['Copy join link']);
}, 60_000);
