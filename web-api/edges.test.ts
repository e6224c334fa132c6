/** Edges of the REST API: authentication, invisibility (404), validation, body limits, rate limits, CORS. */
import WebSocket from 'ws';
import { api, basic, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ env: { RATE_LIMIT: '1000', BODY_LIMIT: '16kb' } });
});
afterAll(async () => {
  await s.stop();
});

describe('authentication', () => {
  it('401 without or with wrong credentials', async () => {
    expect((await api(s, 'GET', '/flows')).status).toBe(401);
    expect((await api(s, 'GET', '/flows', { auth: basic(s.alice.email, 'wrong') })).status).toBe(401);
    expect((await api(s, 'GET', '/flows', { auth: basic('not-a-token') })).status).toBe(401);
  });

  it('accepts email/password, a token with any password, Bearer and access_token', async () => {
    for (const auth of [basic(s.alice.email, s.alice.password), basic(s.alice.token, 'undefined'), `Bearer ${s.alice.token}`]) {
      const r = await api(s, 'GET', '/user', { auth });
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(s.alice.id);
    }
    expect((await api(s, 'GET', `/user?access_token=${s.alice.token}`)).body.email).toBe(s.alice.email);
  });
});

describe('flows', () => {
  it('GET /flows?users=1 has what hubot needs, and the Flowdock-User header', async () => {
    const r = await api(s, 'GET', '/flows?users=1', { auth: s.bob.auth, headers: { 'content-type': 'application/json' } });
    expect(r.headers.get('flowdock-user')).toBe(String(s.bob.id));
    expect(r.body).toHaveLength(1);
    const [flow] = r.body;
    expect(flow).toMatchObject({ id: s.flow.id, name: 'Main', joined: true, open: true, parameterized_name: 'main', organization: { parameterized_name: 'acme' } });
    expect(flow.users.map((u: { nick: string; in_flow: boolean }) => [u.nick, u.in_flow])).toEqual([['alice', true], ['bob', true]]);
  });

  it('a flow the caller is not in is 404, never 403, for reads and writes', async () => {
    expect((await api(s, 'GET', `/flows/${s.flow.path}`, { auth: s.carol.auth })).status).toBe(404);
    expect((await api(s, 'GET', `/flows/${s.flow.path}/messages`, { auth: s.carol.auth })).status).toBe(404);
    const posted = await api(s, 'POST', '/messages', { auth: s.carol.auth, body: { flow: s.flow.id, event: 'message', content: 'x' } });
    expect(posted.status).toBe(404);
    expect((await api(s, 'GET', `/flows/find?id=${s.flow.id}`, { auth: s.carol.auth })).status).toBe(404);
  });

  it('creates a flow in an organization of the caller', async () => {
    const r = await api(s, 'POST', `/flows/${s.org.name}`, { auth: s.carol.auth, body: { name: 'Side Project' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Side Project', parameterized_name: 'side-project', joined: true });
    expect(r.body.users.map((u: { id: number }) => u.id)).toEqual([s.carol.id]);
    expect((await api(s, 'POST', '/flows/not-my-org', { auth: s.carol.auth, body: { name: 'x' } })).status).toBe(404);
  });
});

describe('organization admins', () => {
  it('the last admin of an organization cannot be removed, even by themselves', async () => {
    const r = await api(s, 'DELETE', `/organizations/${s.org.name}/users/${s.alice.id}`, { auth: s.alice.auth });
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/last admin/);
    expect((await api(s, 'GET', `/organizations/${s.org.name}/users`, { auth: s.alice.auth })).body.map((u: { id: number }) => u.id)).toContain(s.alice.id);
  });
});

describe('bad input', () => {
  it('400 naming the field for a blank or oversized message, and nothing is stored', async () => {
    const before = await api(s, 'GET', `/flows/${s.flow.path}/messages?limit=100`, { auth: s.alice.auth });
    const blank = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'message', content: '' } });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toEqual({ content: ["can't be blank"] });
    const long = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'x'.repeat(8097) } });
    expect(long.status).toBe(400);
    expect(Object.keys(long.body.errors)).toEqual(['content']);
    const badEvent = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'nope', content: 'x' } });
    expect(Object.keys(badEvent.body.errors)).toEqual(['event']);
    const after = await api(s, 'GET', `/flows/${s.flow.path}/messages?limit=100`, { auth: s.alice.auth });
    expect(after.body).toEqual(before.body);
  });

  it('accepts exactly 8096 characters', async () => {
    const r = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'y'.repeat(8096) } });
    expect(r.status).toBe(201);
  });

  it('malformed JSON is 400, too large a body is 413', async () => {
    const bad = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: '{"event": "message", ' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({ body: ['is not valid JSON'] });
    const big = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'z'.repeat(20_000) } });
    expect(big.status).toBe(413);
  });

  it('bad list parameters are 400 naming the parameter', async () => {
    const r = await api(s, 'GET', `/flows/${s.flow.path}/messages?limit=500`, { auth: s.alice.auth });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.errors)).toEqual(['limit']);
  });

  it('a comment on a message that does not exist is 404', async () => {
    const r = await api(s, 'POST', '/comments', { auth: s.alice.auth, body: { flow: s.flow.id, message: 999999, event: 'comment', content: 'x' } });
    expect(r.status).toBe(404);
  });
});

describe('users and organizations', () => {
  it('lists org users with admin flags; only admins may rename', async () => {
    const users = await api(s, 'GET', `/organizations/${s.org.name}/users`, { auth: s.bob.auth });
    expect(users.body.map((u: { nick: string; admin: boolean }) => [u.nick, u.admin])).toEqual([['alice', true], ['bob', false], ['carol', false]]);
    expect((await api(s, 'PUT', `/organizations/${s.org.name}`, { auth: s.bob.auth, body: { name: 'X' } })).status).toBe(403);
    expect((await api(s, 'PUT', `/organizations/${s.org.name}`, { auth: s.alice.auth, body: { name: 'Acme Inc' } })).body.name).toBe('Acme Inc');
  });

  it('answers CORS preflight and echoes Origin', async () => {
    const r = await fetch(`${s.url}/flows`, { method: 'OPTIONS', headers: { origin: 'http://app.example' } });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(r.headers.get('access-control-allow-methods')).toContain('DELETE');
  });

  it('serves the same API under /v1', async () => {
    expect((await api(s, 'GET', '/v1/user', { auth: s.alice.auth })).body.id).toBe(s.alice.id);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a token spends its budget', async () => {
    const limited = await startTestStack({ env: { RATE_LIMIT: '5', RATE_WINDOW_S: '60' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await api(limited, 'GET', '/user', { auth: limited.alice.auth })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const r = await api(limited, 'GET', '/user', { auth: limited.alice.auth });
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another caller has its own budget.
      expect((await api(limited, 'GET', '/user', { auth: limited.bob.auth })).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe('rate limits on the WebSocket', () => {
  it('answers a post past the budget with a RATE_LIMITED error frame', async () => {
    const limited = await startTestStack({ env: { RATE_LIMIT: '3', RATE_WINDOW_S: '60' } });
    const ws = new WebSocket(`${limited.url.replace('http', 'ws')}/stream/ws`, { headers: { authorization: limited.alice.auth } });
    try {
      const frames: { type: string; ref?: number; code?: string; status?: number }[] = [];
      ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
      await new Promise((resolve) => ws.once('open', resolve));
      for (let ref = 1; ref <= 4; ref++) ws.send(JSON.stringify({ type: 'post', ref, flow: limited.flow.id, event: 'message', content: `m${ref}` }));
      const until = Date.now() + 5000;
      while (frames.filter((f) => f.ref !== undefined).length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      const answers = frames.filter((f) => f.ref !== undefined).sort((a, b) => a.ref! - b.ref!);
      expect(answers.map((f) => f.type)).toEqual(['ack', 'ack', 'ack', 'error']);
      expect(answers[3]).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    } finally {
      ws.close();
      await limited.stop();
    }
  });
});

describe('operations', () => {
  it('serves /health, /ready and Prometheus /metrics without credentials', async () => {
    expect((await api(s, 'GET', '/health')).status).toBe(200);
    expect((await api(s, 'GET', '/ready')).body.status).toBe('ready');
    const metrics = await fetch(`${s.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain('tributary_persist_batch_size');
    expect(metrics).toContain('tributary_ack_latency_ms');
  });
});
