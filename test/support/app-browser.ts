/**
 * Driving the app in Debian's Chromium (playwright-core, never a downloaded browser) for the e2e
 * tests: where screenshots go, pages that record what they log as errors, the login form.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { projectRoot } from '../../core/project-root';

export const CHROMIUM = '/usr/bin/chromium';
/** test-results/screenshots/ (ignored by git); `UPDATE_SCREENSHOTS=1` writes docs/screenshots/, the README's copies, instead. */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(projectRoot(), 'docs', 'screenshots') : join(projectRoot(), 'test-results', 'screenshots');
export const DESKTOP = { width: 1100, height: 700 };
/** The browser logs the 401 of GET /session while signed out itself: expected on every page that logs in. */
const SIGNED_OUT = /status of 401 \(Unauthorized\)/;

/** A browser whose pages each collect their errors (a CSP violation, an exception, a failed request the test did not expect). */
export class AppBrowser {
  private readonly contexts: BrowserContext[] = [];
  /** What the pages logged as errors since the last `clearErrors`. */
  errors: string[] = [];

  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<AppBrowser> {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: converge the test-services role (npm test does) or apt-get install chromium`);
    // As root Chromium needs --no-sandbox; the pages are our own app on loopback.
    return new AppBrowser(await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] }));
  }

  /** `expected`: console errors that are part of the story (the browser logs every 4xx answer itself). */
  async newPage(expected: RegExp[] = [], viewport = DESKTOP): Promise<Page> {
    const context = await this.browser.newContext({ viewport, colorScheme: 'light' });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && ![SIGNED_OUT, ...expected].some((e) => e.test(m.text()))) this.errors.push(m.text());
    });
    page.on('pageerror', (e) => this.errors.push(e.message));
    return page;
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => {});
    await this.browser.close();
  }
}

/** Opens `url` signed out, logs in with the form; the caller waits for the page it expects. */
export async function logInThroughForm(page: Page, url: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}
