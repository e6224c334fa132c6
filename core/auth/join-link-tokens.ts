/**
 * Link-mode join tokens (docs/adr/030-join-links.md): how a new one is made and how a presented one
 * is checked against the flow's. Kept as made, not hashed: members are shown the link again.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe (43 characters): unguessable, and short enough to paste. */
export const newJoinToken = (): string => randomBytes(32).toString('base64url');

/**
 * Whether `presented` is the flow's token, compared in constant time: the link is found by its flow
 * (named in the URL), never by the token, so neither the lookup nor the comparison leaks how much of
 * a guess was right.
 */
export function joinTokenMatches(presented: string, stored: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(stored, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
