/** Authentication and per-caller rate limiting for every REST route after it: an API token, a password, or the app's session cookie. */
import type { NextFunction, Request, Response } from 'express';
import type { Authenticator } from '../../core/auth/authenticator';
import { kindOfMethod } from '../../core/auth/cookie-request-policy';
import { type RequestCredentials, requestCredentials } from '../../core/auth/request-credentials';
import { enforceRateLimit } from '../../core/enforce-rate-limit';
import type { Metrics } from '../../core/metrics';
import type { RateLimiter } from '../../core/ports/rate-limiter';
import { setCaller } from './caller';

/** What a REST request presents to authenticate (core/auth/request-credentials.ts). */
export function credentialsOf(req: Request): RequestCredentials {
  const accessToken = typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
  const credentials = requestCredentials(req.headers, { accessToken, clientAddress: req.ip, kind: kindOfMethod(req.method) });
  // A plain HTML form (a flow's join page) cannot set the CSRF header: it carries the same token as a field.
  const formCsrf = req.is('application/x-www-form-urlencoded') && typeof req.body?.csrf_token === 'string' ? (req.body.csrf_token as string) : undefined;
  return credentials.csrfToken === undefined && formCsrf !== undefined ? { ...credentials, csrfToken: formCsrf } : credentials;
}

export function authenticate(authenticator: Authenticator, rateLimiter: RateLimiter, metrics: Metrics) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // Already done for this request (the upload routes authenticate before reading their large bodies).
    if (res.locals.caller) {
      next();
      return;
    }
    const caller = await authenticator.authenticateRequest(credentialsOf(req));
    const decision = await enforceRateLimit(rateLimiter, caller.rateKey, () => metrics.rateLimited.inc());
    res.set('X-RateLimit-Remaining', String(decision.remaining));
    setCaller(res, caller);
    res.set('Flowdock-User', String(caller.user.id));
    next();
  };
}
