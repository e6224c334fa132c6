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
  return requestCredentials(req.headers, { accessToken, clientAddress: req.ip, kind: kindOfMethod(req.method) });
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
