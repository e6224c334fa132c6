/** Failed password logins are limited per account and per client address (Redis), with a lock that expires. */
import WebSocket from 'ws';
import { api, basic, startTestStack, type TestStack } from '../test/support/stack';
import { waitFor } from '../streaming-api/testing/stream-test-harness';

const LOCK_S = 4;
let s: TestStack;
beforeAll(async () => {
  // A short lock so that recovery can be seen (long enough for the failures to land in one window
  // on a loaded machine); 3 failures per account, 6 per address.
  s = await startTestStack({ env: { LOGIN_MAX_FAILURES: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '6', LOGIN_LOCK_S: String(LOCK_S) } });
});
afterAll(async () => {
  await s.stop();
});

const login = (email: string, password: string) => api(s, 'GET', '/user', { auth: basic(email, password) });

/** Retries the right password until the lock has expired; the status it ends with (200 once the lock is gone). */
async function afterLockExpires(email: string, password: string): Promise<number> {
  const deadline = Date.now() + (LOCK_S + 3) * 1000;
  for (;;) {
    const { status } = await login(email, password);
    if (status !== 429 || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The HTTP answer to a WebSocket upgrade that carries `auth` and is refused. */
function refusedUpgrade(auth: string): Promise<{ status: number; retryAfter: string | undefined }> {
  const ws = new WebSocket(`${s.url.replace('http', 'ws')}/stream/ws`, { headers: { authorization: auth } });
  return new Promise((resolve, reject) => {
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => {});
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined });
      res.resume();
    });
  });
}

describe('failed logins', () => {
  it('locks an account after N failures with 429 and Retry-After, even for the right password (cached or not), until the lock expires', async () => {
    // A success before the guesses: the right password is then cached, and must be locked all the same.
    expect((await login(s.alice.email, s.alice.password)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await login(s.alice.email, `guess-${i}`)).status).toBe(401);
    const locked = await login(s.alice.email, 'guess-4');
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await login(s.alice.email, s.alice.password)).status).toBe(429);
    // The WebSocket upgrade with the same password is refused alike, and says when to come back too.
    const upgrade = await refusedUpgrade(basic(s.alice.email, s.alice.password));
    expect(upgrade.status).toBe(429);
    expect(Number(upgrade.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(upgrade.retryAfter)).toBeLessThanOrEqual(LOCK_S);
    // Other accounts and tokens are not affected by alice's lock.
    expect((await api(s, 'GET', '/user', { auth: s.bob.auth })).status).toBe(200);
    expect(await afterLockExpires(s.alice.email, s.alice.password)).toBe(200);
  });

  it('locks a client address that guesses many accounts, also over WebSocket auth frames', async () => {
    for (let i = 0; i < 6; i++) expect((await login(`nobody-${i}@example.test`, 'x')).status).toBe(401);
    expect((await login(s.bob.email, s.bob.password)).status).toBe(429);
    const ws = new WebSocket(`${s.url.replace('http', 'ws')}/stream/ws`);
    const frames: { type: string; status?: number }[] = [];
    ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8'))));
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send(JSON.stringify({ type: 'auth', email: s.bob.email, password: s.bob.password }));
    const refused = await waitFor(() => frames.find((f) => f.type === 'error'), 'the error frame');
    expect(refused.status).toBe(429);
    ws.close();
    expect(await afterLockExpires(s.bob.email, s.bob.password)).toBe(200);
  });
});
