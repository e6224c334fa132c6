/**
 * The app's cookie sessions against the real stack (Postgres, Redis): cookie attributes, the CSRF
 * token, the origin rule on REST and WebSocket, CORS without credentials, logout and the login
 * limits (docs/adr/014-app-sessions.md).
 */
import WebSocket from 'ws';
import { api, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ env: { LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_S: '60' } });
});
afterAll(async () => {
  await s.stop();
});

const EVIL = 'http://evil.example';

interface Session {
  cookie: string;
  csrf: string;
  setCookie: string;
}

/** Logs in through POST /session as the app does (from its own origin). */
async function logIn(email: string, password: string, headers: Record<string, string> = {}): Promise<Session> {
  const res = await api(s, 'POST', '/session', { body: { email, password }, headers: { origin: s.url, ...headers } });
  expect(res.status).toBe(201);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { setCookie, cookie: setCookie.split(';')[0]!, csrf: res.body.csrf_token };
}

const withCookie = (session: Session, headers: Record<string, string> = {}) => ({ headers: { cookie: session.cookie, ...headers } });

describe('POST /session', () => {
  it('sets an HttpOnly, SameSite=Strict, path-wide cookie (Secure only over TLS) and answers the user and a CSRF token, no API token', async () => {
    const res = await api(s, 'POST', '/session', { body: { email: s.alice.email, password: s.alice.password }, headers: { origin: s.url } });
    expect(res.status).toBe(201);
    const attributes = (res.headers.get('set-cookie') ?? '').split(';').map((a) => a.trim());
    expect(attributes[0]).toMatch(/^tributary_session=[A-Za-z0-9_-]{43}$/);
    expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=1209600']));
    expect(attributes).not.toContain('Secure');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.user).toMatchObject({ id: s.alice.id, email: s.alice.email });
    expect(res.body.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(res.body)).not.toContain(attributes[0]!.split('=')[1]!);

    // Behind the TLS-terminating proxy on loopback (trust proxy), the cookie is Secure.
    const tls = await logIn(s.alice.email, s.alice.password, { 'x-forwarded-proto': 'https' });
    expect(tls.setCookie.split(';').map((a) => a.trim())).toContain('Secure');
  });

  it('refuses a login from another origin (403), a wrong password (401) and a body without email (400 naming it)', async () => {
    const foreign = await api(s, 'POST', '/session', { body: { email: s.bob.email, password: s.bob.password }, headers: { origin: EVIL } });
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toContain(EVIL);
    expect(foreign.headers.get('set-cookie')).toBeNull();
    const wrong = await api(s, 'POST', '/session', { body: { email: s.bob.email, password: 'nope' }, headers: { origin: s.url } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const blank = await api(s, 'POST', '/session', { body: { password: 'x' }, headers: { origin: s.url } });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toHaveProperty('email');
  });

  it('is limited like every password login: the account locks after 3 failures, for the right password too (429)', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await api(s, 'POST', '/session', { body: { email: s.carol.email, password: `guess-${i}` }, headers: { origin: s.url } })).status).toBe(401);
    }
    const locked = await api(s, 'POST', '/session', { body: { email: s.carol.email, password: s.carol.password }, headers: { origin: s.url } });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The same lock holds for Basic auth on the API: one guard for every way in.
    expect((await api(s, 'GET', '/user', { headers: { authorization: `Basic ${Buffer.from(`${s.carol.email}:${s.carol.password}`).toString('base64')}` } })).status).toBe(429);
  });
});

describe('requests authenticated by the session cookie', () => {
  it('reads from the app (no Origin, or its own) and is refused from another origin with 403 naming it', async () => {
    const session = await logIn(s.alice.email, s.alice.password);
    expect((await api(s, 'GET', '/user', withCookie(session))).body.id).toBe(s.alice.id);
    expect((await api(s, 'GET', '/flows', withCookie(session, { origin: s.url }))).status).toBe(200);
    const me = await api(s, 'GET', '/session', withCookie(session));
    expect(me.body).toEqual({ user: expect.objectContaining({ id: s.alice.id }), csrf_token: session.csrf });
    for (const origin of [EVIL, 'null', `${s.url}.evil.example`]) {
      const refused = await api(s, 'GET', '/user', withCookie(session, { origin }));
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain(`Origin ${origin} may not use the session cookie`);
    }
    // Without an Origin (an <img> or a link on a page of another port), the browser's Sec-Fetch-Site still tells.
    for (const site of ['same-site', 'cross-site']) {
      const refused = await api(s, 'GET', '/user', withCookie(session, { 'sec-fetch-site': site }));
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain(`A ${site} request may not use the session cookie`);
    }
    for (const site of ['same-origin', 'none']) expect((await api(s, 'GET', '/user', withCookie(session, { 'sec-fetch-site': site }))).status).toBe(200);
  });

  it('changes state only with the CSRF token: without it or with a wrong one 403 naming it, with it 201', async () => {
    const session = await logIn(s.bob.email, s.bob.password);
    const post = (headers: Record<string, string>) =>
      api(s, 'POST', `/flows/${s.flow.path}/messages`, { body: { event: 'message', content: 'by cookie' }, ...withCookie(session, { origin: s.url, ...headers }) });
    const missing = await post({});
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('CSRF token missing or wrong') });
    // One character changed (a fixed 'A' was no change at all for a token ending in 'A').
    const wrong = `${session.csrf.slice(0, -1)}${session.csrf.endsWith('A') ? 'B' : 'A'}`;
    expect((await post({ 'x-csrf-token': wrong })).status).toBe(403);
    const sent = await post({ 'x-csrf-token': session.csrf });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ content: 'by cookie', user: String(s.bob.id) });
    // Even with the right token, another origin may not use the cookie.
    expect((await post({ 'x-csrf-token': session.csrf, origin: EVIL })).status).toBe(403);
  });

  it('is no session once logged out: DELETE /session needs the CSRF token, revokes on the server, and the old cookie gets 401', async () => {
    const session = await logIn(s.alice.email, s.alice.password);
    expect((await api(s, 'DELETE', '/session', withCookie(session, { origin: s.url }))).status).toBe(403);
    const out = await api(s, 'DELETE', '/session', withCookie(session, { origin: s.url, 'x-csrf-token': session.csrf }));
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^tributary_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0/);
    const stale = await api(s, 'GET', '/user', withCookie(session));
    expect(stale.status).toBe(401);
    expect(stale.body.message).toContain('log in again');
  });

  it('leaves tokens their open CORS, without credentials for any origin; a token wins over a cookie', async () => {
    const preflight = await api(s, 'OPTIONS', '/flows', { headers: { origin: EVIL, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(EVIL);
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const session = await logIn(s.alice.email, s.alice.password);
    const byToken = await api(s, 'GET', '/user', { auth: s.bob.auth, headers: { origin: EVIL, cookie: session.cookie } });
    expect(byToken.status).toBe(200);
    expect(byToken.body.id).toBe(s.bob.id);
    expect(byToken.headers.get('access-control-allow-origin')).toBe(EVIL);
    expect(byToken.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('the WebSocket upgrade with the session cookie', () => {
  /** The upgrade's outcome: `hello` once authenticated, or the refusal's HTTP status. */
  function upgrade(headers: Record<string, string>): Promise<{ hello?: { user: { id: number } }; status?: number }> {
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/stream/ws`, { headers });
    return new Promise((resolve, reject) => {
      ws.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString('utf8'));
        if (frame.type === 'hello') {
          ws.close();
          resolve({ hello: frame });
        }
      });
      ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
      ws.on('error', reject);
    });
  }

  it('opens from the app\'s origin, and is refused (403) from a foreign Origin or with none', async () => {
    const session = await logIn(s.bob.email, s.bob.password);
    expect((await upgrade({ cookie: session.cookie, origin: s.url })).hello?.user.id).toBe(s.bob.id);
    expect(await upgrade({ cookie: session.cookie, origin: EVIL })).toEqual({ status: 403 });
    expect(await upgrade({ cookie: session.cookie })).toEqual({ status: 403 });
  });
});
