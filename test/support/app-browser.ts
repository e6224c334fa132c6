/**
 * What the app's browser tests (test/e2e/app-*.test.ts) share: Debian's
 * Chromium through playwright-core (never a downloaded browser), pages that record what they log as
 * errors, the login form, and reading a virtualized message list.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page, type ViewportSize } from 'playwright-core';
import { projectRoot } from '../../core/project-root';
import type { SeededUser } from './stack';

export const CHROMIUM = '/usr/bin/chromium';
/**
 * Every run saves the main screens under test-results/screenshots/ (ignored by git) to look at;
 * `UPDATE_SCREENSHOTS=1 npm test` writes them over the README's copies in docs/screenshots/ instead,
 * so a plain run never leaves the tree changed.
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(projectRoot(), 'docs', 'screenshots') : join(projectRoot(), 'test-results', 'screenshots');
export const DESKTOP = { width: 1100, height: 700 };
export const PHONE = { width: 375, height: 700 };

/** Opens `url` signed out and logs in with the form (screenshot of the filled form if asked); the caller waits for what it expects. */
export async function logInThroughForm(page: Page, url: string, user: { email: string; password: string }, screenshot?: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  if (screenshot) await page.screenshot({ path: join(SCREENSHOTS, screenshot) });
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Opens `baseUrl + path` signed out, logs in with the form, and waits for the conversation asked for. */
export async function signInAt(baseUrl: string, page: Page, user: SeededUser, path: string, screenshot?: string): Promise<void> {
  await logInThroughForm(page, `${baseUrl}${path}`, user, screenshot);
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
}

/** How `AppBrowser.newPage` opens a page; every field may be left out. */
export interface PageOptions {
  /** The window size: `DESKTOP` (the default) or `PHONE`. */
  viewport?: ViewportSize;
  /**
   * Console errors that are part of the test's story, not faults of the app (the browser logs every
   * 4xx answer and every dropped connection itself). The 401 of GET /session while signed out is
   * always expected.
   */
  expected?: RegExp[];
  /** More for the page's browser context, e.g. `{ permissions: ['notifications'] }`. */
  context?: BrowserContextOptions;
}

/** What every page logs while signed out: the browser's own line for the 401 of GET /session. */
const SIGNED_OUT = /status of 401 \(Unauthorized\)/;

/**
 * One Chromium for a test file and the pages opened in it (each in its own context, so its own
 * cookies: one person), closed together. What the pages log as errors (a CSP violation, an
 * exception, a failed request) and was not expected goes to `errors`: the app must log none.
 *
 *   const app = useAppStack();   // a test stack and an AppBrowser for the file (app-stack.ts)
 *   it('…', async () => { const page = await app.browser.newPage(); …; expect(app.browser.errors).toEqual([]); });
 */
export class AppBrowser {
  private readonly contexts: BrowserContext[] = [];
  private readonly logged: string[] = [];

  private constructor(private readonly browser: Browser) {}

  /** Debian's Chromium (never a downloaded browser); throws, saying how to install it, when it is missing. */
  static async launch(): Promise<AppBrowser> {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: converge the test-services role (npm test does) or apt-get install chromium`);
    // As root Chromium needs --no-sandbox; the pages are our own app on loopback.
    return new AppBrowser(await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] }));
  }

  /** The browser's version, for reports (bench:app prints it beside its figures). */
  get version(): string {
    return this.browser.version();
  }

  /** What the pages logged as errors that were not expected, since launch or the last `clearErrors()`. */
  get errors(): readonly string[] {
    return [...this.logged];
  }

  /** Forgets the errors logged so far (call it before each test, so one test's errors are not blamed on the next). */
  clearErrors(): void {
    this.logged.length = 0;
  }

  /** A page in a new browser context (light colour scheme). */
  async newPage({ viewport = DESKTOP, expected = [], context: options = {} }: PageOptions = {}): Promise<Page> {
    const context = await this.browser.newContext({ viewport, colorScheme: 'light', ...options });
    this.contexts.push(context);
    const page = await context.newPage();
    const onError = (message: string) => {
      if (![SIGNED_OUT, ...expected].some((e) => e.test(message))) this.logged.push(message);
    };
    page.on('console', (m) => {
      if (m.type() === 'error') onError(m.text());
    });
    page.on('pageerror', (e) => onError(e.message));
    return page;
  }

  /** Closes every page opened so far: each runs the app (its WebSocket, its timers) until closed. */
  async closePages(): Promise<void> {
    const open = this.contexts.splice(0);
    await Promise.all(open.map((c) => c.close().catch(() => {})));
  }

  async close(): Promise<void> {
    await this.closePages();
    await this.browser.close();
  }
}

export const article = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text });

/**
 * Every loaded message of the open conversation's list, oldest first, by scrolling it from the top
 * to the bottom: a virtualized list holds only the rows in view, each with its `aria-posinset` among
 * `aria-setsize`. Throws if two rows claim one position with different texts.
 */
export async function readAllMessages(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const list = document.querySelector<HTMLElement>('[role="log"]');
    if (!list) throw new Error('no message list on the page');
    const byPosition = new Map<number, string>();
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    list.scrollTop = 0;
    await frame();
    for (let guard = 0; guard < 10_000; guard++) {
      for (const a of list.querySelectorAll<HTMLElement>('article[aria-posinset]')) {
        const at = Number(a.getAttribute('aria-posinset'));
        const text = a.querySelector('.text')?.textContent ?? '';
        if (byPosition.has(at) && byPosition.get(at) !== text) throw new Error(`two messages at position ${at}: ${byPosition.get(at)} / ${text}`);
        byPosition.set(at, text);
      }
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break;
      list.scrollTop += list.clientHeight / 2;
      await frame();
    }
    return [...byPosition.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
  });
}
