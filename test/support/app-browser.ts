/**
 * The app in Debian's Chromium through playwright-core (never a downloaded browser): what every
 * browser test (test/e2e/app-*.test.ts) launches, opens pages with and signs in through.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { projectRoot } from '../../core/project-root';
import type { SeededUser, TestStack } from './stack';

export const CHROMIUM = '/usr/bin/chromium';
/**
 * Every run saves the main screens under test-results/screenshots/ (ignored by git) to look at;
 * `UPDATE_SCREENSHOTS=1 npm test` writes them over the README's copies in docs/screenshots/ instead,
 * so a plain run never leaves the tree changed.
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(projectRoot(), 'docs', 'screenshots') : join(projectRoot(), 'test-results', 'screenshots');
export const DESKTOP = { width: 1100, height: 700 };
export const PHONE = { width: 375, height: 700 };

/** One Chromium and the contexts opened in it, closed together. */
export class AppBrowser {
  private readonly contexts: BrowserContext[] = [];

  private constructor(readonly browser: Browser) {}

  static async launch(): Promise<AppBrowser> {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: converge the test-services role (npm test does) or apt-get install chromium`);
    // As root Chromium needs --no-sandbox; the pages are our own app on loopback.
    return new AppBrowser(await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] }));
  }

  /**
   * A page in a context of its own (its own cookies: another person). `onError` hears what the page
   * logs as an error (a CSP violation, an exception), but for the 401 of GET /session while signed
   * out, which the browser logs itself.
   */
  async newPage(onError: (text: string) => void, viewport = DESKTOP): Promise<Page> {
    const context = await this.browser.newContext({ viewport, colorScheme: 'light' });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 401 \(Unauthorized\)/.test(m.text())) onError(m.text());
    });
    page.on('pageerror', (e) => onError(e.message));
    return page;
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => {});
    await this.browser.close();
  }
}

/** Opens `path` signed out, logs in with the form, and waits for the page asked for. */
export async function signIn(stack: TestStack, page: Page, user: SeededUser, path: string, screenshot?: string): Promise<void> {
  await page.goto(`${stack.url}${path}`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  if (screenshot) await page.screenshot({ path: join(SCREENSHOTS, screenshot) });
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
}

/** The message (an `article`) holding `text`. */
export const article = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text });
