/** Every link the API hands out resolves (issue 8, point 6): the comments link of a posted message, the flows' web_url (the app), and organization-mode flows' join_url (docs/adr/029-mail-notifications.md). */
import { api, seedUser, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(async () => {
  await s.stop();
});

/** The target of a `Link: <…>; rel="comments"` header, as a path on the test server. */
function commentsLink(header: string | null): string {
  const target = /<([^>]+)>;\s*rel="comments"/.exec(header ?? '')?.[1];
  expect(target).toBeDefined();
  return new URL(target!).pathname;
}

it('the comments link of a posted message lists that message’s comments, oldest first', async () => {
  const posted = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'parent' } });
  expect(posted.status).toBe(201);
  const link = commentsLink(posted.headers.get('link'));
  expect(link).toBe(`/flows/${s.flow.path}/messages/${posted.body.id}/comments`);

  const empty = await api(s, 'GET', link, { auth: s.bob.auth });
  expect(empty.status).toBe(200);
  expect(empty.body).toEqual([]);

  for (const text of ['one', 'two']) {
    const c = await api(s, 'POST', `/flows/${s.flow.path}/messages/${posted.body.id}/comments`, { auth: s.bob.auth, body: { content: text } });
    expect(c.status).toBe(201);
  }
  await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'unrelated' } });
  const listed = await api(s, 'GET', link, { auth: s.bob.auth });
  expect(listed.status).toBe(200);
  expect(listed.body.map((m: { event: string; content: { text: string } }) => [m.event, m.content.text])).toEqual([['comment', 'one'], ['comment', 'two']]);
});

it('answers 404 for the comments of a message that does not exist, and for a flow the caller is not in', async () => {
  expect((await api(s, 'GET', `/flows/${s.flow.path}/messages/999999/comments`, { auth: s.alice.auth })).status).toBe(404);
  expect((await api(s, 'GET', `/flows/${s.flow.path}/messages/1/comments`, { auth: s.carol.auth })).status).toBe(404);
});

it('flow objects carry a web_url (the app\'s page of the flow), and an invitation-mode flow no join_url (people come in by invitation)', async () => {
  const flows = await api(s, 'GET', '/flows', { auth: s.alice.auth });
  expect(flows.status).toBe(200);
  for (const flow of flows.body as Record<string, unknown>[]) {
    expect(flow.web_url).toBe(`${s.url}/app/${s.flow.path}`);
    expect(flow).toMatchObject({ access_mode: 'invitation', join_url: null });
    expect((await api(s, 'GET', new URL(flow.url as string).pathname, { auth: s.alice.auth })).status).toBe(200);
    const page = await fetch(flow.web_url as string);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  }
});

describe('an organization-mode flow\'s join_url', () => {
  let joinUrl: string;
  beforeAll(async () => {
    const made = await api(s, 'POST', `/flows/${s.org.name}`, { auth: s.alice.auth, body: { name: 'Open Door' } });
    expect(made.status).toBe(201);
    const open = await api(s, 'PUT', new URL(made.body.url).pathname, { auth: s.alice.auth, body: { access_mode: 'organization' } });
    expect(open.body.join_url).toBe(`${s.url}/flows/${s.org.name}/open-door/join`);
    joinUrl = open.body.join_url;
  });

  it('lets a signed-in browser of the organization join with one button, then leads to the flow in the app', async () => {
    const login = await api(s, 'POST', '/session', { body: { email: s.carol.email, password: s.carol.password }, headers: { origin: s.url } });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await fetch(joinUrl, { headers: { cookie, accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
    expect(csrf).toBe(login.body.csrf_token);
    // Without the form's token the cookie alone may not join (CSRF), with it it does.
    const forged = await fetch(joinUrl, { method: 'POST', redirect: 'manual', headers: { cookie, origin: s.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(forged.status).toBe(403);
    const joined = await fetch(joinUrl, { method: 'POST', redirect: 'manual', headers: { cookie, origin: s.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf_token=${encodeURIComponent(csrf!)}` });
    expect([joined.status, joined.headers.get('location')]).toEqual([303, `${s.url}/app/${s.org.name}/open-door`]);
    const flows = await api(s, 'GET', '/flows', { auth: s.carol.auth });
    expect(flows.body.map((f: { parameterized_name: string }) => f.parameterized_name)).toContain('open-door');
    // Joined already: the link goes straight on to the app.
    const again = await fetch(joinUrl, { redirect: 'manual', headers: { cookie, accept: 'text/html' } });
    expect([again.status, again.headers.get('location')]).toEqual([303, `${s.url}/app/${s.org.name}/open-door`]);
  });

  it('asks a browser without a session to sign in first, tells an API client whether it joined, and is 404 to people outside the organization', async () => {
    const anonymous = await fetch(joinUrl, { headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(200);
    const text = await anonymous.text();
    expect(text).toContain(`<a href="${joinUrl}">Continue to join</a>`);
    expect(text).toContain('sign in at');
    expect((await fetch(joinUrl)).status).toBe(401);
    expect((await api(s, 'GET', new URL(joinUrl).pathname, { auth: s.bob.auth })).body.joined).toBe(false);
    const joined = await api(s, 'POST', new URL(joinUrl).pathname, { auth: s.bob.auth });
    expect([joined.status, joined.body.joined]).toEqual([200, true]);
    const outsider = await seedUser(s.directory, 'outsider');
    expect((await api(s, 'GET', new URL(joinUrl).pathname, { auth: outsider.auth })).status).toBe(404);
    expect((await api(s, 'POST', new URL(joinUrl).pathname, { auth: outsider.auth })).status).toBe(404);
  });
});
