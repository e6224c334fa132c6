/** Every link the API hands out resolves (issue 8, point 6): the comments link of a posted message, the flows' web_url (the app), and no join_url until invitations exist. */
import { api, startTestStack, type TestStack } from '../test/support/stack';

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

it('flow objects carry a web_url (the app\'s page of the flow) and no join_url (invitations do not exist yet), and both their urls resolve', async () => {
  const flows = await api(s, 'GET', '/flows', { auth: s.alice.auth });
  expect(flows.status).toBe(200);
  for (const flow of flows.body as Record<string, unknown>[]) {
    expect(flow.web_url).toBe(`${s.url}/app/${s.flow.path}`);
    expect(flow).not.toHaveProperty('join_url');
    expect((await api(s, 'GET', new URL(flow.url as string).pathname, { auth: s.alice.auth })).status).toBe(200);
    const page = await fetch(flow.web_url as string);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  }
});
