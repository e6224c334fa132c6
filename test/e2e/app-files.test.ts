/**
 * Files in the app, in Debian's Chromium (issue 11, points 4 and 10; docs/app.md): Alice uploads an
 * image with the button, a text file by dropping it on the flow and a screenshot by pasting; Bob
 * sees the thumbnails live and downloads the file through his own session.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { SCREENSHOTS } from '../support/app-browser';
import { useAppStack } from '../support/app-stack';

const app = useAppStack();

/** Drops a text file on the message list, as dragging it from the desktop would. */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  await page.evaluate(
    ([fileName, content]) => {
      const data = new DataTransfer();
      data.items.add(new File([content], fileName, { type: 'text/plain' }));
      const target = document.querySelector('[role="log"]')!;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    [name, text] as const,
  );
}

it('uploads by button, drop and paste; the other person sees the thumbnail live and downloads the file', async () => {
  const [alice, bob] = [await app.browser.newPage(), await app.browser.newPage()];
  await app.signIn(alice, app.stack.alice, `/app/${app.stack.flow.path}`);
  await app.signIn(bob, app.stack.bob, `/app/${app.stack.flow.path}`);
  // Bob's live connection is up before anything is posted (the "Connecting…" status is gone).
  await bob.getByRole('status').waitFor({ state: 'detached' });

  const png = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#e07030' } }).png().toBuffer();
  await alice.getByLabel('Attach file').setInputFiles({ name: 'sunset.png', mimeType: 'image/png', buffer: png });
  for (const page of [alice, bob]) {
    const thumb = page.getByRole('img', { name: 'sunset.png' });
    await thumb.waitFor();
    // Loaded through the page's own session: a refused or broken image has no natural size.
    await page.waitForFunction(() => (document.querySelector('img[alt="sunset.png"]') as HTMLImageElement | null)?.naturalWidth === 320);
    expect(await thumb.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([320, 160]);
  }
  // The thumbnail links to the full picture, which Bob's session may fetch.
  const full = await bob.getByRole('link', { name: 'sunset.png' }).getAttribute('href');
  expect(full).toMatch(/^\/files\/.+\/sunset\.png$/);
  expect(await bob.evaluate(async (path) => (await (await fetch(path!)).arrayBuffer()).byteLength, full)).toBe(png.length);

  await dropFile(alice, 'notes.txt', 'rollout notes: all green');
  const link = bob.getByRole('link', { name: 'notes.txt' });
  await link.waitFor();
  expect(await bob.getByRole('article').filter({ has: link }).textContent()).toContain('(24 B)');
  const [download] = await Promise.all([bob.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('notes.txt');
  expect(await readFile((await download.path())!, 'utf8')).toBe('rollout notes: all green');

  const shot = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#30a060' } }).png().toBuffer();
  // A pasted screenshot: browsers name it image.png; the app names it by the time.
  await alice.evaluate(async (bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' }));
    document.querySelector('textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, [...shot]);
  await bob.getByRole('img', { name: /^Pasted image .+\.png$/ }).waitFor();

  await alice.screenshot({ path: join(SCREENSHOTS, 'files.png') });
  expect(app.browser.errors).toEqual([]);
}, 60_000);
