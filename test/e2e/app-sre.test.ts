/**
 * The site admins' failover page in Chromium (issue 11, points 7 and 10; docs/app.md): a Tributary
 * in full mode whose Redis master comes from real failover managers (ZooKeeper, a Redis group of
 * three, two managers, all brought up by the project's cookbooks). An SRE opens /app/admin/failover,
 * promotes a replica through the confirmation dialog, and sees the new master and the timeline
 * entry appear; a member who is not a site admin finds no such page.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type Scenario, waitForRecord } from '../../failover-manager/testing/harness';
import { AppBrowser, logInThroughForm, SCREENSHOTS } from '../support/app-browser';
import { type FailoverStack, startFailoverStack } from '../support/failover-stack';
import type { SeededUser, TestStack } from '../support/stack';

let f: FailoverStack;
let sc: Scenario;
let s: TestStack;
let sre: SeededUser;
let browser: AppBrowser;

beforeAll(async () => {
  f = await startFailoverStack(2);
  ({ scenario: sc, stack: s, sre } = f);
  browser = await AppBrowser.launch();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await f?.stop();
});
beforeEach(() => browser.clearErrors());
afterEach(() => browser.closePages());

/** The node row of the nodes table. */
const nodeRow = (page: Page, address: string) => page.getByRole('table', { name: 'Redis nodes' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: address, exact: true }) });

it('shows the failover state live, and a promotion made with the page\'s button and its confirmation', async () => {
  const page = await browser.newPage();
  await logInThroughForm(page, `${s.url}/app/admin/failover`, sre);
  await page.getByRole('heading', { name: 'Redis failover' }).waitFor();
  const master = page.getByTestId('master');
  await master.filter({ hasText: sc.master }).waitFor();
  expect(await master.textContent()).toBe(sc.master);
  // Every node with its role, both managers, one of them leading.
  for (const address of sc.redis.addresses) await nodeRow(page, address).getByRole('cell', { name: address === sc.master ? 'master' : 'replica', exact: true }).waitFor();
  const managers = page.getByRole('table', { name: 'Failover managers' });
  await managers.getByRole('rowheader', { name: /^m[12] \(leader\)$/ }).waitFor();
  expect(await managers.getByRole('row').count()).toBe(3);
  expect(await nodeRow(page, sc.master).getByRole('button').count()).toBe(0);

  const target = sc.replicas[0]!;
  // Cancel first: nothing is asked.
  await page.getByRole('button', { name: `Promote ${target}` }).click();
  const dialog = page.getByRole('dialog', { name: `Promote ${target} to master?` });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  expect((await sc.zkSession.getData('/tributary/failover/promote-request'))).toBeNull();

  await page.getByRole('button', { name: `Promote ${target}` }).click();
  await dialog.getByRole('button', { name: 'Promote' }).click();
  await page.getByRole('status').filter({ hasText: `${target} is the master now (epoch 2).` }).waitFor({ timeout: 15_000 });
  await master.filter({ hasText: target }).waitFor();
  await nodeRow(page, target).getByRole('cell', { name: 'master', exact: true }).waitFor();
  await nodeRow(page, sc.master).getByRole('cell', { name: 'replica', exact: true }).waitFor();
  // The timeline, newest first, shows the switch-over with its times.
  const history = page.getByRole('list', { name: 'Failover history' });
  const newest = history.getByRole('listitem').first();
  await newest.filter({ hasText: `epoch 2: ${sc.master} → ${target} (manual switch-over)` }).waitFor();
  expect(await newest.textContent()).toMatch(/detection –, promotion \d+ ms/);
  const record = await waitForRecord(sc.zkSession, 'the new record', (r) => r.epoch === 2);
  expect(record.master).toBe(target);
  await page.screenshot({ path: join(SCREENSHOTS, 'failover.png'), fullPage: true });
  expect(browser.errors).toEqual([]);
}, 90_000);

it('is not there for a member who is not a site admin: the app says "Page not found"', async () => {
  // The browser logs the API's 404 itself; that one is expected.
  const page = await browser.newPage({ expected: [/status of 404 \(Not Found\)/] });
  await logInThroughForm(page, `${s.url}/app/admin/failover`, s.bob);
  await page.getByText('Page not found.').waitFor();
  expect(await page.getByRole('heading', { name: 'Redis failover' }).count()).toBe(0);
  expect(browser.errors).toEqual([]);
}, 60_000);
