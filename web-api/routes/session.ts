/**
 * /session: the app's login (docs/api.md, docs/adr/014-app-sessions.md). POST logs in with email and
 * password and sets the HttpOnly session cookie; GET tells the app who is signed in and its CSRF
 * token; DELETE revokes the session on the server.
 */
import { type Request, Router } from 'express';
import { z } from 'zod';
import { assertAppOrigin } from '../../core/auth/cookie-request-policy';
import { clearedSessionCookie, sessionSetCookie } from '../../core/auth/session-cookie';
import { csrfTokenOf, SESSION_TTL_MS } from '../../core/auth/sessions';
import type { AuthenticatedCaller } from '../../core/auth/authenticator';
import { AppError } from '../../core/errors';
import { parseInput } from '../../core/validation';
import type { WebApiDeps } from '../deps';
import { userJson } from '../serializers/json';

const loginBody = z.object({
  email: z.string().min(1, "can't be blank").max(254, 'is too long'),
  password: z.string().min(1, "can't be blank").max(1024, 'is too long'),
});

/** Secure when the browser reached us over TLS (directly, or through the trusted proxy), or PUBLIC_URL says so. */
const cookieOptions = (req: Request, publicUrl: string | undefined) => ({ secure: req.secure || (publicUrl?.startsWith('https:') ?? false) });

/** POST /session, mounted before authentication: it is how a session starts. */
export function loginRoute(deps: WebApiDeps): Router {
  const r = Router();
  r.post('/session', async (req, res) => {
    // Only the app's page may log in through the cookie: another site must not sign a visitor into its own account.
    assertAppOrigin({ kind: 'write', origin: req.get('origin'), host: req.get('host'), csrfToken: undefined, fetchSite: req.get('sec-fetch-site'), publicUrl: deps.options.publicUrl });
    const { email, password } = parseInput(loginBody, req.body);
    const { user, passwordVersion } = await deps.authenticator.login(email, password, req.ip);
    const session = await deps.directory.sessions.createSession(user.id, SESSION_TTL_MS, passwordVersion);
    res.set('Cache-Control', 'no-store');
    res.append('Set-Cookie', sessionSetCookie(session.token, SESSION_TTL_MS, cookieOptions(req, deps.options.publicUrl)));
    res.status(201).json({ user: userJson(user), csrf_token: csrfTokenOf(session.token), expires_at: session.expiresAt.toISOString() });
  });
  return r;
}

/** GET and DELETE /session, mounted after authentication (the cookie rules apply to them like to any route). */
export function sessionRoutes(deps: WebApiDeps): Router {
  const r = Router();
  r.get('/session', (_req, res) => {
    const caller = res.locals.caller as AuthenticatedCaller;
    res.set('Cache-Control', 'no-store');
    // A token caller has no session and no CSRF token: it answers who it is all the same.
    res.json({ user: userJson(caller.user), csrf_token: caller.session ? csrfTokenOf(caller.session) : null });
  });
  r.delete('/session', async (req, res) => {
    const caller = res.locals.caller as AuthenticatedCaller;
    if (!caller.session) throw new AppError('VALIDATION_FAILED', 'DELETE /session ends a cookie session; this request used an API token or a password, which have no session to end');
    await deps.directory.sessions.revokeSession(caller.session);
    res.append('Set-Cookie', clearedSessionCookie(cookieOptions(req, deps.options.publicUrl)));
    res.status(204).end();
  });
  return r;
}
