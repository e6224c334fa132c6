/** The REST write and read paths end to end in one process: real Postgres, real Redis, real backend. */
import { api, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(async () => {
  await s.stop();
});

const post = (body: unknown, auth = s.alice.auth) => api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth, body });

describe('posting', () => {
  it('answers 201 with the stored message in the spec shape', async () => {
    const r = await post({ event: 'message', content: 'hello #release @bob', tags: ['todo'] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      event: 'message', content: 'hello #release @bob', user: String(s.alice.id), flow: s.flow.id, app: 'chat', edited: null, attachments: [],
    });
    expect(typeof r.body.id).toBe('number');
    expect(typeof r.body.uuid).toBe('string');
    expect(typeof r.body.sent).toBe('number');
    expect(typeof r.body.thread_id).toBe('string');
    expect(r.body.tags).toEqual(expect.arrayContaining(['todo', 'release', `:user:${s.bob.id}`, `:unread:${s.bob.id}`]));
    const stored = await api(s, 'GET', `/flows/${s.flow.path}/messages/${r.body.id}`, { auth: s.bob.auth });
    expect(stored.body).toEqual(r.body);
  });

  it('gives strictly increasing ids in persist order', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => post({ event: 'message', content: `n${i}` })));
    const ids = results.map((r) => r.body.id as number).sort((a, b) => a - b);
    expect(new Set(ids).size).toBe(20);
    const listed = await api(s, 'GET', `/flows/${s.flow.path}/messages?limit=20`, { auth: s.alice.auth });
    expect(listed.body.map((m: { id: number }) => m.id)).toEqual(ids);
  });

  it('returns the same message for a retry with the same uuid, never a second one', async () => {
    const body = { event: 'message', content: 'once', uuid: 'retry-uuid-1' };
    const [a, b] = await Promise.all([post(body), post(body)]);
    const c = await post(body);
    expect(a.body.id).toBe(b.body.id);
    expect(c.body.id).toBe(a.body.id);
    expect(c.headers.get('idempotent-replayed')).toBe('true');
    const all = await api(s, 'GET', `/flows/${s.flow.path}/messages?search=once&limit=100`, { auth: s.alice.auth });
    expect(all.body.filter((m: { uuid: string }) => m.uuid === 'retry-uuid-1')).toHaveLength(1);
  });

  it('accepts POST /messages with the flow id in the body (node-flowdock)', async () => {
    const r = await api(s, 'POST', '/messages', { auth: s.bob.auth, body: { flow: s.flow.id, event: 'message', content: 'from bot', tags: [] } });
    expect(r.status).toBe(201);
    expect(r.body.user).toBe(String(s.bob.id));
  });

  it('accepts form-encoded bodies and comma-separated tags', async () => {
    const res = await fetch(`${s.url}/flows/${s.flow.path}/messages`, {
      method: 'POST',
      headers: { authorization: s.alice.auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'event=message&content=form+post&tags=a,b',
    });
    expect(res.status).toBe(201);
    expect((await res.json()).tags).toEqual(['a', 'b']);
  });

  it('threads: a comment joins its parent thread and the thread counts it', async () => {
    const parent = await post({ event: 'message', content: 'parent message' });
    const comment = await api(s, 'POST', '/comments', { auth: s.bob.auth, body: { flow: s.flow.id, message: String(parent.body.id), event: 'comment', content: '+1', tags: [] } });
    expect(comment.status).toBe(201);
    expect(comment.body.content).toEqual({ title: 'parent message', text: '+1' });
    expect(comment.body.tags).toContain(`influx:${parent.body.id}`);
    expect(comment.body.thread_id).toBe(parent.body.thread_id);
    const reply = await api(s, 'POST', `/flows/${s.flow.path}/threads/${parent.body.thread_id}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'in thread' } });
    expect(reply.body.thread_id).toBe(parent.body.thread_id);
    const thread = await api(s, 'GET', `/flows/${s.flow.path}/threads/${parent.body.thread_id}`, { auth: s.alice.auth });
    expect(thread.body).toMatchObject({ id: parent.body.thread_id, initial_message: parent.body.id, internal_comments: 2 });
    const inThread = await api(s, 'GET', `/flows/${s.flow.path}/threads/${parent.body.thread_id}/messages`, { auth: s.alice.auth });
    expect(inThread.body.map((m: { id: number }) => m.id)).toEqual([parent.body.id, comment.body.id, reply.body.id]);
  });
});

describe('reading', () => {
  it('filters by event, tags, search and id bounds; output ascending', async () => {
    const a = await post({ event: 'message', content: 'alpha findme', tags: ['x1'] });
    await post({ event: 'status', content: 'away findme' });
    const c = await post({ event: 'message', content: 'gamma findme', tags: ['x1', 'x2'] });
    const base = `/flows/${s.flow.path}/messages`;
    const get = async (q: string) => (await api(s, 'GET', `${base}?${q}`, { auth: s.alice.auth })).body.map((m: { id: number }) => m.id);
    expect(await get(`event=status&since_id=${a.body.id}`)).toEqual([a.body.id + 1]);
    expect(await get('tags=x1,x2')).toEqual([c.body.id]);
    expect(await get('tags=x1,x2&tag_mode=or')).toEqual([a.body.id, c.body.id]);
    expect(await get('search=FINDME%20gamma')).toEqual([c.body.id]);
    expect(await get(`since_id=${a.body.id}&until_id=${c.body.id}`)).toEqual([a.body.id + 1]);
    expect(await get(`limit=2&sort=asc&since_id=${a.body.id - 1}`)).toEqual([a.body.id, a.body.id + 1]);
  });

  it('edits content (own message) and tags (anyone), with events', async () => {
    const m = await post({ event: 'message', content: 'typo' });
    expect((await api(s, 'PUT', `/flows/${s.flow.path}/messages/${m.body.id}`, { auth: s.bob.auth, body: { content: 'hijack' } })).status).toBe(403);
    expect((await api(s, 'PUT', `/flows/${s.flow.path}/messages/${m.body.id}`, { auth: s.alice.auth, body: { content: 'fixed' } })).status).toBe(200);
    expect((await api(s, 'PUT', `/flows/${s.flow.path}/messages/${m.body.id}`, { auth: s.bob.auth, body: { tags: ['done'] } })).status).toBe(200);
    const stored = await api(s, 'GET', `/flows/${s.flow.path}/messages/${m.body.id}`, { auth: s.alice.auth });
    expect(stored.body).toMatchObject({ content: 'fixed', tags: ['done'] });
    expect(typeof stored.body.edited).toBe('number');
    const events = await api(s, 'GET', `/flows/${s.flow.path}/messages?event=message-edit,tag-change&since_id=${m.body.id}`, { auth: s.alice.auth });
    expect(events.body.map((e: { event: string }) => e.event)).toEqual(['message-edit', 'tag-change']);
    expect(events.body[1].content).toEqual({ message: m.body.id, add: ['done'], remove: [] });
  });

  it('deletes one own message by emptying it; others get 403', async () => {
    const m = await post({ event: 'message', content: 'regret' });
    expect((await api(s, 'DELETE', `/flows/${s.flow.path}/messages/${m.body.id}`, { auth: s.bob.auth })).status).toBe(403);
    expect((await api(s, 'DELETE', `/flows/${s.flow.path}/messages/${m.body.id}`, { auth: s.alice.auth, body: {} })).status).toBe(200);
    expect((await api(s, 'GET', `/flows/${s.flow.path}/messages/${m.body.id}`, { auth: s.alice.auth })).body.content).toBe('');
  });
});

describe('private messages', () => {
  it('posts to /private/:id/messages with `to` and no `flow`, readable by both', async () => {
    const r = await api(s, 'POST', `/private/${s.carol.id}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'psst', tags: [] } });
    expect(r.status).toBe(201);
    expect(r.body.to).toBe(String(s.carol.id));
    expect(r.body.flow).toBeUndefined();
    const seen = await api(s, 'GET', `/private/${s.alice.id}/messages`, { auth: s.carol.auth });
    expect(seen.body.map((m: { content: string }) => m.content)).toEqual(['psst']);
    const convs = await api(s, 'GET', '/private', { auth: s.carol.auth });
    expect(convs.body).toEqual([expect.objectContaining({ id: s.alice.id, open: true })]);
  });
});
