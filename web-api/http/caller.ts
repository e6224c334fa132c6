/** The authenticated caller of a request, put on res.locals by the auth middleware. */
import type { Response } from 'express';
import type { AuthenticatedCaller } from '../../core/auth/authenticator';
import type { User } from '../../core/domain/types';

export function callerOf(res: Response): User {
  return (res.locals.caller as AuthenticatedCaller).user;
}

export function setCaller(res: Response, caller: AuthenticatedCaller): void {
  res.locals.caller = caller;
}
