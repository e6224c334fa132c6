/**
 * Input schemas several actions share. Built once at load: zod compiles an object schema on its
 * first use, so a schema made per call would pay that on every call.
 */
import { z } from 'zod';

/** Ids and counts as paths and query strings carry them: plain decimal digits, at most 15 (below 2^53). */
const DECIMAL_DIGITS = /^\d{1,15}$/;

/**
 * A whole number given as a JSON number or as a string of decimal digits. `z.coerce.number()`
 * would also take `0x10`, `1e3`, ` 7`, `+7` and `''` (as 0), so one message would answer to many
 * spellings of its id; anything but digits stays a string here and fails with a message that says
 * what is expected. `inner` adds the bounds.
 */
export function wholeNumber<T extends z.ZodType<number, number>>(inner: T) {
  return z.preprocess((v) => (typeof v === 'string' && DECIMAL_DIGITS.test(v) ? Number(v) : v), z.number({ error: 'must be a whole number in decimal digits' }).int().pipe(inner));
}

/** A numeric id in a path, query or frame (users, messages, organizations). */
export const positiveId = wholeNumber(z.number().positive());

/** `true`/`false`/`1`/`0` as forms and query strings send them. */
export const truthy = z.union([z.boolean(), z.enum(['1', '0', 'true', 'false'])]).transform((v) => v === true || v === '1' || v === 'true');

/** A flow's or an organization's name (≤100, as the spec says for flows). */
export const displayName = z.string().trim().min(1, "can't be blank").max(100);

/**
 * A nick a person chooses (profile, invitation, CLI): letters, digits, `_` and `-`. Nothing else,
 * so that the characters IRC gives meaning to (`|` marks an integration's sender there, and `\`
 * folds to `|`) never appear in one (streaming-api/irc/irc-event-lines.ts).
 */
export const nick = z.string().regex(/^[\p{L}\p{N}_-]{1,32}$/u, 'letters, digits, _ and - only, at most 32');

/** `{name}` of renames and creations. */
export const nameBody = z.object({ name: displayName });

export const accessMode = z.enum(['invitation', 'link', 'organization']);
