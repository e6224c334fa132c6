/** Sources over REST (spec §2.8) end to end on real Postgres and Redis: create, list, show, update, delete, and the flow token's answers. */
import { api, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
});
afterAll(async () => {
  await s.stop();
});

const create = (body: unknown, auth = s.alice.auth) => api(s, 'POST', `/flows/${s.flow.path}/sources`, { auth, body });

describe('creating a source', () => {
  it('answers 201 with the source and a flow_token that no later read shows', async () => {
    const r = await create({ name: 'CI', external_url: 'https://ci.example.test/acme' }, s.bob.auth);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: 'CI', external_url: 'https://ci.example.test/acme', error_message: null, configuration_url: null, flow: s.flow.id, _links: {}, application: null,
      creator: { id: s.bob.id, nick: 'bob' },
    });
    expect(r.body.url).toMatch(new RegExp(`/flows/${s.flow.path}/sources/${r.body.id}$`));
    expect(r.body.flow_token).toMatch(/^[0-9a-f]{64}$/);
    const shown = await api(s, 'GET', `/flows/${s.flow.path}/sources/${r.body.id}`, { auth: s.alice.auth });
    expect(shown.status).toBe(200);
    const { flow_token: _t, ...withoutToken } = r.body;
    expect(shown.body).toEqual(withoutToken);
    expect(JSON.stringify(shown.body)).not.toContain(r.body.flow_token);
    const stored = await s.db.pool.query('SELECT token_hash FROM sources WHERE id = $1', [r.body.id]);
    expect(stored.rows[0].token_hash).not.toBe(r.body.flow_token);
    expect(stored.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses bad fields with a 400 naming them', async () => {
    const blank = await create({ name: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toHaveProperty('name');
    const url = await create({ name: 'x', external_url: 'javascript:alert(1)' });
    expect(url.status).toBe(400);
    expect(url.body.errors).toHaveProperty('external_url');
    const nul = await create({ name: 'a\u0000b' });
    expect(nul.status).toBe(400);
    expect(nul.body.errors.name).toEqual(['contains a NUL byte']);
  });

  it('is for members only: a member of the organization outside the flow gets 404, no credentials 401', async () => {
    expect((await create({ name: 'x' }, s.carol.auth)).status).toBe(404);
    expect((await api(s, 'POST', `/flows/${s.flow.path}/sources`, { body: { name: 'x' } })).status).toBe(401);
  });
});

describe('listing', () => {
  it('lists the sources of a flow, and under GET /sources those of every flow the caller reads', async () => {
    const made = await create({ name: 'Listed' });
    const inFlow = await api(s, 'GET', `/flows/${s.flow.path}/sources`, { auth: s.bob.auth });
    expect(inFlow.status).toBe(200);
    expect(inFlow.body.map((x: { id: number }) => x.id)).toContain(made.body.id);
    expect(inFlow.body.every((x: Record<string, unknown>) => !('flow_token' in x))).toBe(true);
    const all = await api(s, 'GET', '/sources', { auth: s.alice.auth });
    expect(all.body.map((x: { id: number }) => x.id)).toContain(made.body.id);
    const outsider = await api(s, 'GET', '/sources', { auth: s.carol.auth });
    expect(outsider.status).toBe(200);
    expect(outsider.body).toEqual([]);
    expect((await api(s, 'GET', `/flows/${s.flow.path}/sources`, { auth: s.carol.auth })).status).toBe(404);
  });

  it('GET /sources with a flow_token shows that source only', async () => {
    const made = await create({ name: 'Mine' });
    await create({ name: 'Other' });
    const r = await api(s, 'GET', `/sources?flow_token=${made.body.flow_token}`);
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(1);
    expect(r.body[0]).toMatchObject({ id: made.body.id, name: 'Mine' });
    expect(r.headers.get('flowdock-user')).toBe('0');
  });
});

describe('updating', () => {
  it('sets and clears error_message and configuration_url as a member', async () => {
    const made = await create({ name: 'Upd' });
    const path = `/flows/${s.flow.path}/sources/${made.body.id}`;
    const set = await api(s, 'PUT', path, { auth: s.bob.auth, body: { error_message: 'feed unreachable', configuration_url: 'https://ci.example.test/settings' } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ error_message: 'feed unreachable', configuration_url: 'https://ci.example.test/settings' });
    const cleared = await api(s, 'PUT', path, { auth: s.bob.auth, body: { error_message: '' } });
    expect(cleared.body).toMatchObject({ error_message: null, configuration_url: 'https://ci.example.test/settings' });
    const empty = await api(s, 'PUT', path, { auth: s.bob.auth, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toHaveProperty('error_message');
  });

  it('PUT /sources with the flow token updates that source; without a token it names the missing field', async () => {
    const made = await create({ name: 'ByToken' });
    const r = await api(s, 'PUT', '/sources', { body: { flow_token: made.body.flow_token, error_message: 'rate limited by upstream' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: made.body.id, error_message: 'rate limited by upstream' });
    const bad = await api(s, 'PUT', '/sources', { body: { flow_token: made.body.flow_token, configuration_url: 'not a url' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('configuration_url');
    const none = await api(s, 'PUT', '/sources', { auth: s.alice.auth, body: { error_message: 'x' } });
    expect(none.status).toBe(400);
    expect(none.body.errors).toHaveProperty('flow_token');
  });
});

describe('deleting', () => {
  it('answers 204; the source is gone from lists and its token then answers 410 everywhere', async () => {
    const made = await create({ name: 'Doomed' });
    const token = made.body.flow_token as string;
    const del = await api(s, 'DELETE', `/flows/${s.flow.path}/sources/${made.body.id}`, { auth: s.bob.auth });
    expect(del.status).toBe(204);
    expect((await api(s, 'GET', `/flows/${s.flow.path}/sources/${made.body.id}`, { auth: s.alice.auth })).status).toBe(404);
    expect((await api(s, 'DELETE', `/flows/${s.flow.path}/sources/${made.body.id}`, { auth: s.alice.auth })).status).toBe(404);
    const post = await api(s, 'POST', '/messages', { body: { flow_token: token, event: 'message', content: 'hi', external_user_name: 'bot' } });
    expect(post.status).toBe(410);
    expect(post.body.code).toBe('GONE');
    expect((await api(s, 'GET', `/sources?flow_token=${token}`)).status).toBe(410);
    expect((await api(s, 'PUT', '/sources', { body: { flow_token: token, error_message: 'x' } })).status).toBe(410);
    expect((await api(s, 'POST', `/v1/messages/chat/${token}`, { body: { content: 'hi', external_user_name: 'bot' } })).status).toBe(410);
  });

  it('an unknown or malformed token is a 401', async () => {
    expect((await api(s, 'GET', `/sources?flow_token=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await api(s, 'GET', '/sources?flow_token=short')).status).toBe(401);
    expect((await api(s, 'POST', '/messages', { body: { flow_token: 42, event: 'message', content: 'x' } })).status).toBe(401);
  });
});
