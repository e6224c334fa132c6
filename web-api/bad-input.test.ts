/** Every class of malformed input the fuzzing found answers a clear 4xx naming the problem, never a 5xx. */
import { gzipSync } from 'node:zlib';
import { get } from 'node:http';
import WebSocket from 'ws';
import { api, basic, startTestStack, type TestStack } from '../test/support/stack';
import { TestWs } from '../streaming-api/testing/stream-test-harness';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ env: { RATE_LIMIT: '10000' } });
});
afterAll(async () => {
  await s.stop();
});

/** A raw request (fetch would refuse or re-encode some of these). */
async function raw(path: string, init: RequestInit & { auth?: string } = {}) {
  const res = await fetch(`${s.url}${path}`, { ...init, headers: { authorization: init.auth ?? s.alice.auth, ...(init.headers as Record<string, string>) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

describe('URLs', () => {
  it('malformed percent-encoding in a path parameter is 400 naming the path, with or without credentials', async () => {
    for (const path of ['/flows/%/main', '/flows/acme/%E0%A4%A', '/stream/flows/%/main']) {
      const r = await raw(path);
      expect([path, r.status, r.body.errors]).toEqual([path, 400, { path: [expect.stringContaining('percent-encoding')] }]);
    }
    expect((await raw('/flows/%/main?access_token=x', { auth: '' })).status).toBe(400);
  });

  it('NUL in a path segment or a query parameter is 400 naming it', async () => {
    expect((await raw('/flows/%00/main')).body.errors).toEqual({ path: ['must not contain NUL characters'] });
    const query = await raw('/flows/find?id=%00');
    expect([query.status, query.body.errors]).toEqual([400, { id: ['must not contain NUL characters'] }]);
    expect((await raw(`/flows/${s.flow.path}/messages?search=a%00b`)).status).toBe(400);
    expect((await raw(`/stream/flows?filter=${s.flow.path}%00`)).status).toBe(400);
  });

  it('NUL in Basic or access_token credentials is refused before any lookup (401/400), never a database error', async () => {
    const basicNul = await raw('/user', { auth: basic('ali\u0000ce@example.test', 'pw') });
    expect([basicNul.status, basicNul.body.message]).toEqual([401, 'Malformed credentials']);
    expect((await raw('/user', { auth: basic('tok\u0000en') })).status).toBe(401);
    expect((await raw('/user', { auth: basic(s.alice.email, 'pass\u0000word') })).status).toBe(401);
    expect((await raw('/user?access_token=%00', { auth: '' })).status).toBe(400);
  });
});

describe('numbers and dates', () => {
  it('ids beyond 2^53-1 are 400 naming the value, never a Postgres out-of-range 500', async () => {
    const big = '12345678901234567890';
    for (const path of [`/users/${big}`, `/private/${big}`, `/private/${big}/messages`, `/organizations/find?id=${big}`, `/flows/${s.flow.path}/messages/${big}`,
      `/flows/${s.flow.path}/messages?since_id=${big}`, `/flows/${s.flow.path}/messages?until_id=1e300`]) {
      const r = await raw(path);
      expect([path, r.status]).toEqual([path, 400]);
    }
    for (const message of [1e20, big]) {
      const comment = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'comment', content: 'x', message } });
      expect([comment.status, Object.keys(comment.body.errors)]).toEqual([400, ['message']]);
    }
  });

  it('an id or a count spelled other than in decimal digits (0x10, 1e3, +7, " 7") is 400 naming the field, not another spelling of the same id', async () => {
    for (const [path, field] of [[`/users/0x10`, 'body'], [`/flows/${s.flow.path}/messages/1e3`, 'body'], [`/organizations/find?id=%2B7`, 'id'],
      [`/flows/${s.flow.path}/messages?since_id=%207`, 'since_id'], [`/flows/${s.flow.path}/messages?limit=0x10`, 'limit']] as const) {
      const r = await raw(path);
      expect([path, r.status, r.body.errors]).toEqual([path, 400, { [field]: ['must be a whole number in decimal digits'] }]);
    }
  });

  it('impossible dates are 400 naming the parameter', async () => {
    for (const until of ['0000-01-01T00:00:00Z', '2025-02-30T00:00:00Z', '10000-01-01T00:00:00Z']) {
      const r = await raw(`/flows/${s.flow.path}/threads?until=${until}`);
      expect([until, r.status, Object.keys(r.body.errors)]).toEqual([until, 400, ['until']]);
    }
    expect((await raw(`/flows/${s.flow.path}/threads?until=2024-02-29T00:00:00Z`)).status).toBe(200);
  });
});

describe('bodies', () => {
  const post = (body: string | Blob, headers: Record<string, string>) =>
    raw(`/flows/${s.flow.path}/messages`, { method: 'POST', body, headers });

  it('JSON nested deeper than the limit is 400 (even 20 000 deep), the limit itself is fine', async () => {
    const deep = `{"event":"message","content":"x","tags":[],"thread":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const r = await post(deep, { 'content-type': 'application/json' });
    expect([r.status, r.body.errors]).toEqual([400, { body: ['is nested deeper than 32 levels'] }]);
    expect(r.headers.get('retry-after')).toBeNull();
    const atLimit = `{"event":"activity","title":"t","author":{"name":"n"},"external_thread_id":"ext-1","thread":{"title":"deep"},"content":${'['.repeat(31)}1${']'.repeat(31)}}`;
    const ok = await post(atLimit, { 'content-type': 'application/json' });
    expect([ok.status, ok.body.errors]).toEqual([201, undefined]);
  });

  it('form bodies: too deep is 400, too many fields is 413', async () => {
    const deep = await post(`a${'[b]'.repeat(40)}=1`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect([deep.status, deep.body.errors]).toEqual([400, { body: ['is nested too deeply'] }]);
    const wide = await post(Array.from({ length: 1500 }, (_, i) => `f${i}=1`).join('&'), { 'content-type': 'application/x-www-form-urlencoded' });
    expect([wide.status, wide.body.errors]).toEqual([413, { body: ['has too many parameters'] }]);
    const form = await post('event=message&content=hello+form', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(201);
  });

  it('unsupported Content-Encoding is 415, a broken gzip body 400, a good one is accepted', async () => {
    const json = JSON.stringify({ event: 'message', content: 'zipped' });
    const garbage = await post(json, { 'content-type': 'application/json', 'content-encoding': 'garbage' });
    expect([garbage.status, garbage.body.code, garbage.body.errors]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE', { 'content-encoding': ['is not supported'] }]);
    const broken = await post('not gzip at all', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect([broken.status, broken.body.errors]).toEqual([400, { body: ['could not be decoded'] }]);
    expect((await post(new Blob([gzipSync(json)]), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(201);
  });

  it('comma-separated tags obey the same 100-tag cap as arrays', async () => {
    const many = Array.from({ length: 150 }, (_, i) => `t${i}`);
    for (const tags of [many, many.join(',')]) {
      const r = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'x', tags } });
      expect([r.status, r.body.errors]).toEqual([400, { tags: ['at most 100 tags'] }]);
    }
    const hundred = await api(s, 'POST', `/flows/${s.flow.path}/messages`, { auth: s.alice.auth, body: { event: 'message', content: 'x', tags: many.slice(0, 100).join(',') } });
    expect(hundred.status).toBe(201);
    expect(hundred.body.tags).toHaveLength(100);
  });
});

describe('streaming input', () => {
  it('WebSocket frames nested too deep or with out-of-range numbers get 400 error frames', async () => {
    const client = new TestWs(new WebSocket(`${s.url.replace('http', 'ws')}/stream/ws?access_token=${s.alice.token}`));
    await client.next((f) => f.type === 'hello', 'hello');
    client.send(`{"type":"post","ref":"deep","flow":"${s.flow.id}","event":"message","content":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    expect(await client.next((f) => f.type === 'error', 'deep refusal')).toMatchObject({ status: 400, errors: { body: ['is nested deeper than 32 levels'] } });
    client.send({ type: 'subscribe', ref: 'big', flows: [{ flow: s.flow.id, since: 1e300 }] });
    expect(await client.next((f) => f.ref === 'big', 'since refusal')).toMatchObject({ type: 'error', status: 400, errors: { 'flows.0.since': [expect.any(String)] } });
    client.send({ type: 'post', ref: 'to', to: '12345678901234567890', event: 'message', content: 'hi' });
    expect(await client.next((f) => f.ref === 'to', 'to refusal')).toMatchObject({ type: 'error', status: 400, errors: { to: [expect.any(String)] } });
    client.ws.close();
  });

  it('an HTTP stream naming more than 500 flows is 400; a Last-Event-ID beyond any id is ignored, not a 503', async () => {
    const many = Array.from({ length: 501 }, (_, i) => `acme/nope-${i}`).join(',');
    const tooMany = await raw(`/stream/flows?filter=${encodeURIComponent(many)}`, { auth: s.alice.auth });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors.filter).toEqual(['names more than 500 flows']);
    const status = await new Promise<number>((resolve, reject) => {
      const req = get(`${s.url}/stream/flows?filter=${s.flow.path}`, { headers: { authorization: s.alice.auth, accept: 'text/event-stream', 'last-event-id': `${s.flow.id}:99999999999999999999` } }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
    });
    expect(status).toBe(200);
  });

  it('an HTTP stream with NUL in its access_token is 400 before authentication', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      get(`${s.url}/stream/flows/${s.flow.path}?access_token=%00`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(400);
  });
});
