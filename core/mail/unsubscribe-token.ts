/**
 * The signed token of a mention mail's unsubscribe link: `<user id>.<HMAC-SHA256>`, keyed by a key
 * derived (HKDF) from SOURCE_SECRET_KEY, so that no second secret needs configuring and a leak of
 * one link's signature says nothing about the source secrets. A token only ever turns mention mails
 * off for its own user: it is not a login.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { AppError, forbidden } from '../errors';
import { secretKeyFrom } from '../integrations/source-secrets';

const PURPOSE = 'tributary mention-mail unsubscribe v1';
const SHAPE = /^([1-9][0-9]{0,15})\.([A-Za-z0-9_-]{43})$/;

/** The signing key, or null when SOURCE_SECRET_KEY is unset (then no mention mail is sent: it could not carry a working link). */
export function unsubscribeKeyFrom(sourceSecretKey: string | undefined): Buffer | null {
  if (!sourceSecretKey) return null;
  return Buffer.from(hkdfSync('sha256', secretKeyFrom(sourceSecretKey), Buffer.alloc(0), PURPOSE, 32));
}

const signatureOf = (key: Buffer, userId: number): Buffer => createHmac('sha256', key).update(`${PURPOSE}\u0000${userId}`).digest();

export function unsubscribeToken(key: Buffer, userId: number): string {
  return `${userId}.${signatureOf(key, userId).toString('base64url')}`;
}

/** The user a token was signed for; 400 for what is no token at all, 403 for a signature that does not match (altered, or another server's). */
export function userOfUnsubscribeToken(key: Buffer, token: string): number {
  const m = SHAPE.exec(token);
  if (!m) throw new AppError('VALIDATION_FAILED', 'not an unsubscribe token: expected <user id>.<signature> as the mail\'s link has it', { token: ['is malformed'] });
  const userId = Number(m[1]);
  const given = Buffer.from(m[2]!, 'base64url');
  const expected = signatureOf(key, userId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw forbidden('the unsubscribe link\'s signature does not match: it was altered, or made by another server');
  return userId;
}
