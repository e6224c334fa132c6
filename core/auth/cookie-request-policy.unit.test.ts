/** The session cookie's rules, pure: reading the cookie, the Set-Cookie it is sent with, the origin rule and the CSRF token. */
import { assertAppOrigin, assertCsrfToken, type CookieRequestFacts, isAppOrigin, kindOfMethod } from './cookie-request-policy';
import { clearedSessionCookie, readSessionCookie, sessionSetCookie } from './session-cookie';
import { csrfTokenMatches, csrfTokenOf, newSessionToken } from './sessions';

const token = newSessionToken();
const facts = (over: Partial<CookieRequestFacts>): CookieRequestFacts => ({
  kind: 'read', origin: undefined, host: 'chat.example:3000', csrfToken: undefined, publicUrl: undefined, ...over,
});

it('reads the session secret from a Cookie header among others, and ignores values no secret has', () => {
  expect(readSessionCookie(`theme=dark; tributary_session=${token}; other=1`)).toBe(token);
  expect(readSessionCookie('tributary_session=<script>')).toBeUndefined();
  expect(readSessionCookie('xtributary_session=abcdefghijklmnopqrstuvwxyz')).toBeUndefined();
  expect(readSessionCookie(undefined)).toBeUndefined();
});

it('sets the cookie HttpOnly, SameSite=Strict, for the whole origin, Secure only when asked; clearing expires it', () => {
  expect(sessionSetCookie(token, 3_600_000, { secure: false })).toBe(`tributary_session=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600`);
  expect(sessionSetCookie(token, 3_600_000, { secure: true })).toMatch(/; Secure$/);
  expect(clearedSessionCookie({ secure: false })).toBe('tributary_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
});

it('counts as the app only its own host (port included) or PUBLIC_URL\'s origin', () => {
  expect(isAppOrigin('http://chat.example:3000', 'chat.example:3000', undefined)).toBe(true);
  expect(isAppOrigin('http://chat.example:5173', 'chat.example:3000', undefined)).toBe(false);
  expect(isAppOrigin('https://chat.example', 'internal:3000', 'https://chat.example')).toBe(true);
  expect(isAppOrigin('null', 'chat.example:3000', undefined)).toBe(false);
  expect(isAppOrigin('file://chat.example:3000', 'chat.example:3000', undefined)).toBe(false);
});

it('refuses a foreign Origin, a WebSocket without one, and a same-site or cross-site fetch; allows the app and a typed URL', () => {
  expect(() => assertAppOrigin(facts({ origin: 'http://evil.example' }))).toThrow('Origin http://evil.example may not use the session cookie');
  expect(() => assertAppOrigin(facts({ kind: 'upgrade' }))).toThrow('needs an Origin header');
  expect(() => assertAppOrigin(facts({ fetchSite: 'same-site' }))).toThrow('A same-site request may not use the session cookie');
  expect(() => assertAppOrigin(facts({ origin: 'http://chat.example:3000', kind: 'upgrade' }))).not.toThrow();
  expect(() => assertAppOrigin(facts({ fetchSite: 'none' }))).not.toThrow();
  expect(() => assertAppOrigin(facts({}))).not.toThrow();
});

it('asks the CSRF token of writes only, and only the session\'s own token passes', () => {
  expect([kindOfMethod('GET'), kindOfMethod('head'), kindOfMethod('POST'), kindOfMethod('DELETE')]).toEqual(['read', 'read', 'write', 'write']);
  expect(() => assertCsrfToken(token, facts({ kind: 'read' }))).not.toThrow();
  expect(() => assertCsrfToken(token, facts({ kind: 'write' }))).toThrow('CSRF token missing or wrong');
  expect(() => assertCsrfToken(token, facts({ kind: 'write', csrfToken: csrfTokenOf(newSessionToken()) }))).toThrow('CSRF token missing or wrong');
  expect(() => assertCsrfToken(token, facts({ kind: 'write', csrfToken: csrfTokenOf(token) }))).not.toThrow();
  expect(csrfTokenMatches(token, csrfTokenOf(token).slice(1))).toBe(false);
  expect(csrfTokenOf(token)).not.toContain(token);
});
