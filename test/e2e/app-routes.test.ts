/**
 * Full mode: a web-api process (no streaming service, no backend beside it) serves the built app at
 * /app/… and sends / there, as `start all` does (issue 11, point 1). Needs the build (`npm run build:app`).
 */
import { startTestStack, type TestStack } from '../support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ service: 'web-api' });
});
afterAll(async () => {
  await s.stop();
});

it('redirects / to /app/ and serves the built app at each of its routes, with its CSP', async () => {
  const root = await fetch(`${s.url}/`, { redirect: 'manual' });
  expect([root.status, root.headers.get('location')]).toEqual([302, '/app/']);
  for (const path of ['/app/', `/app/${s.flow.path}`, `/app/private/${s.bob.id}`, `/app/${s.flow.path}/threads/abc`]) {
    const page = await fetch(`${s.url}${path}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<script type="module" crossorigin src="\/app\/assets\/index-[\w-]+\.js"><\/script>/);
    // The build inlines no script: the CSP below would block it.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  }
  // The REST API beside it is unchanged: still 401 without credentials.
  expect((await fetch(`${s.url}/flows`)).status).toBe(401);
});
