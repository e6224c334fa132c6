/**
 * `npm run bench:app` (issue 11, point 11): the app in Debian's Chromium against Tributary on a
 * fresh database. Prints the time to the first screen of a flow holding 10 000 messages, scrolling
 * back through 1 000 of them (loading and frame times), and the page's JS heap and DOM size after an
 * hour's worth of live traffic replayed quickly. Figures only, no pass/fail; docs/benchmarks.md.
 */
import { handleHelpAndUnknown } from './cli-flags';
import type { Page } from 'playwright-core';
import { AppBrowser, article, signInAt } from '../test/support/app-browser';
import { api, type SeededUser, startTestStack, type TestStack } from '../test/support/stack';

const FLOW_MESSAGES = 10_000;
const SCROLL_BACK = 1_000;
/** An hour of a busy team: a message a second in the open flow, and as many again in three others. */
const HOUR_OPEN_FLOW = 3_600;
const HOUR_OTHER_FLOWS = 3_600;
const POST_CONCURRENCY = 25;
const FIRST_SCREEN_RUNS = 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const ms = (n: number): string => `${n.toFixed(1)} ms`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function newFlow(s: TestStack, name: string, members: SeededUser[]): Promise<string> {
  const flow = await s.directory.createFlow(s.org.id, name);
  for (const u of members) await s.directory.addFlowMember(flow.id, u.id);
  return `${s.org.name}/${flow.parameterizedName}`;
}

/** Posts `count` messages as Bob, `POST_CONCURRENCY` at a time, through the REST write path; returns the wall time. */
async function postMany(s: TestStack, paths: readonly string[], count: number, label: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += POST_CONCURRENCY) {
    await Promise.all(
      Array.from({ length: Math.min(POST_CONCURRENCY, count - i) }, async (_, j) => {
        const n = i + j + 1;
        const r = await api(s, 'POST', `/flows/${paths[n % paths.length]}/messages`, { auth: s.bob.auth, body: { event: 'message', content: `${label} ${n}: ${'lorem ipsum '.repeat(1 + (n % 7))}` } });
        if (r.status !== 201) throw new Error(`posting ${label} ${n} answered ${r.status}: ${JSON.stringify(r.body)}`);
      }),
    );
  }
  return performance.now() - started;
}

/** JS heap in use after a full garbage collection, and the page's DOM node count (Chrome DevTools Protocol). */
async function heapOf(page: Page): Promise<{ heap: number; nodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return { heap: metric('JSHeapUsedSize'), nodes: metric('Nodes') };
}

/** Scrolls the list to the top until `loaded` messages are in the list; returns the wall time. */
async function scrollBackUntil(page: Page, loaded: number): Promise<number> {
  const started = performance.now();
  const size = () => page.evaluate(() => Number(document.querySelector('article[aria-setsize]')?.getAttribute('aria-setsize') ?? 0));
  while ((await size()) < loaded) {
    const before = await size();
    await page.getByRole('log').evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.waitForFunction((b) => Number(document.querySelector('article[aria-setsize]')?.getAttribute('aria-setsize')) > b, before, { timeout: 30_000 });
  }
  return performance.now() - started;
}

/**
 * Scrolls the loaded list from the bottom to the top a half screen per frame; returns each step's
 * time until the frame after it was rendered, and the same for frames with no scroll (the baseline:
 * the display's frame interval).
 */
function frameTimesScrollingUp(page: Page): Promise<{ steps: number[]; idle: number[] }> {
  return page.getByRole('log').evaluate(async (el) => {
    const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const idle: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await nextFrame();
      idle.push(performance.now() - t);
    }
    const steps: number[] = [];
    el.scrollTop = el.scrollHeight;
    await nextFrame();
    while (el.scrollTop > 0) {
      const t = performance.now();
      el.scrollTop = Math.max(0, el.scrollTop - el.clientHeight / 2);
      await nextFrame();
      steps.push(performance.now() - t);
      // The list loads the page before at the top; stop there, this run measures scrolling only.
      if (el.scrollTop < el.clientHeight) break;
    }
    return { steps, idle };
  });
}

async function main(): Promise<void> {
  handleHelpAndUnknown(process.argv.slice(2), 'npm run bench:app', 'The app in headless Chromium: first load, bundle size and reading speed (docs/benchmarks.md). No flags.', []);
  const s = await startTestStack({ env: { RATE_LIMIT: '100000000' } });
  const browser = await AppBrowser.launch();
  try {
    const big = await newFlow(s, 'Ten thousand', [s.alice, s.bob]);
    process.stdout.write(`seeding ${FLOW_MESSAGES} messages through the REST API… `);
    const seeded = await postMany(s, [big], FLOW_MESSAGES, 'history');
    process.stdout.write(`${(seeded / 1000).toFixed(1)} s\n`);

    const page = await browser.newPage();
    await signInAt(s.url, page, s.alice, `/app/${s.flow.path}`);
    const firstScreen: number[] = [];
    for (let i = 0; i < FIRST_SCREEN_RUNS; i++) {
      const t = performance.now();
      await page.goto(`${s.url}/app/${big}`);
      await article(page, `history ${FLOW_MESSAGES}:`).waitFor();
      firstScreen.push(performance.now() - t);
    }
    const articles = await page.getByRole('article').count();

    const scrollBack = await scrollBackUntil(page, SCROLL_BACK + 100);
    const frames = await frameTimesScrollingUp(page);
    const afterScroll = await page.getByRole('article').count();

    // An hour of live traffic into the open flow and three others, replayed as fast as the write path takes it.
    const others = [await newFlow(s, 'Hour one', [s.alice, s.bob]), await newFlow(s, 'Hour two', [s.alice, s.bob]), await newFlow(s, 'Hour three', [s.alice, s.bob])];
    const live = await browser.newPage();
    await signInAt(s.url, live, s.alice, `/app/${big}`);
    await live.getByRole('status').waitFor({ state: 'detached' });
    const before = await heapOf(live);
    const replayOpen = postMany(s, [big], HOUR_OPEN_FLOW, 'live');
    const replayOthers = postMany(s, others, HOUR_OTHER_FLOWS, 'elsewhere');
    const replay = Math.max(await replayOpen, await replayOthers);
    await article(live, `live ${HOUR_OPEN_FLOW}:`).waitFor({ timeout: 60_000 });
    const after = await heapOf(live);

    const rows: [string, string][] = [
      ['first screen of a flow with 10 000 messages (goto → newest message shown), median of 5', ms(median(firstScreen))],
      ['  runs', `${firstScreen.map((x) => x.toFixed(0)).join(', ')} ms`],
      ['articles in the DOM on the first screen (100 loaded)', String(articles)],
      [`scroll-back: load ${SCROLL_BACK} earlier messages by scrolling to the top (10 pages)`, ms(scrollBack)],
      [`scrolling up through ${SCROLL_BACK + 100} loaded messages, half a screen a frame: p50 / p95 / max`, `${ms(pct(frames.steps, 50))} / ${ms(pct(frames.steps, 95))} / ${ms(Math.max(...frames.steps))} (${frames.steps.length} steps)`],
      ['  the same without scrolling (the frame interval)', `${ms(pct(frames.idle, 50))} / ${ms(pct(frames.idle, 95))} / ${ms(Math.max(...frames.idle))}`],
      ['articles in the DOM with 1 100 loaded', String(afterScroll)],
      [`an hour of live traffic (${HOUR_OPEN_FLOW} in the open flow, ${HOUR_OTHER_FLOWS} in 3 others) replayed in`, `${(replay / 1000).toFixed(1)} s`],
      ['JS heap used after GC: before → after the hour', `${mb(before.heap)} → ${mb(after.heap)}`],
      ['DOM nodes: before → after the hour', `${before.nodes} → ${after.nodes}`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(`\nbench:app (Chromium ${browser.version}, ${new Date().toISOString()})\n`);
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
    const { errors } = browser;
    if (errors.length) process.stdout.write(`\nthe pages logged ${errors.length} errors, the first: ${errors.slice(0, 5).join(' | ')}\n`);
  } finally {
    await browser.close();
    await s.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench:app failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
