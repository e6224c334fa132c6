/**
 * useAppStack: a browser test file's stack and Chromium. Apart from app-browser.ts because it uses
 * jest's hooks, and app-browser.ts is also loaded outside jest (bench/app.ts).
 */
import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import type { Page } from 'playwright-core';
import { AppBrowser, signInAt } from './app-browser';
import { type SeededUser, startTestStack, type TestStack } from './stack';

/** A browser suite's stack and Chromium, both the file's own (see useAppStack). */
export interface AppStack {
  readonly stack: TestStack;
  readonly browser: AppBrowser;
  /** Signs `user` in on `path` of this stack's app (signInAt). */
  signIn(page: Page, user: SeededUser, path: string, screenshot?: string): Promise<void>;
}

/**
 * One test stack (started with `options`) and one Chromium per file, stopped after its last test;
 * each test starts with no errors recorded, and its pages are closed when it ends. Call it at the top of a browser test file.
 */
export function useAppStack(options: Parameters<typeof startTestStack>[0] = {}): AppStack {
  let stack: TestStack | undefined;
  let browser: AppBrowser | undefined;
  beforeAll(async () => {
    stack = await startTestStack(options);
    browser = await AppBrowser.launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(() => browser?.clearErrors());
  // A test's pages would go on running the app, and taking the CPU, through every later test of the file.
  afterEach(() => browser?.closePages());
  const started = <T>(part: T | undefined): T => {
    if (part === undefined) throw new Error('useAppStack: the stack starts in beforeAll; use it inside tests');
    return part;
  };
  return {
    get stack() {
      return started(stack);
    },
    get browser() {
      return started(browser);
    },
    signIn: (page, user, path, screenshot) => signInAt(started(stack).url, page, user, path, screenshot),
  };
}
