/**
 * CORS as Flowdock answered it (spec §0): echo the Origin, allow the listed methods and headers,
 * answer preflight — for requests that carry their own credentials (an API token or a password in
 * Authorization). Never `Access-Control-Allow-Credentials`: no other origin may send or read a
 * request authenticated by the app's session cookie (the app itself is same-origin and needs no
 * CORS; docs/adr/014-app-sessions.md).
 */
import type { NextFunction, Request, Response } from 'express';

const METHODS = 'POST, PUT, PATCH, DELETE, GET, OPTIONS';
const HEADERS = 'Origin, Accept, Content-type, Authorization, X-CSRF-Token, X-Requested-With, X-Prototype-Version';

export function cors(req: Request, res: Response, next: NextFunction): void {
  const origin = req.get('origin');
  if (origin) {
    res.set('Access-Control-Allow-Origin', origin);
    res.set('Vary', 'Origin');
  }
  if (req.method === 'OPTIONS') {
    res.set('Access-Control-Allow-Methods', METHODS).set('Access-Control-Allow-Headers', HEADERS).status(204).end();
    return;
  }
  next();
}
