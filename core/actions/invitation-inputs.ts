/** What invitation requests accept (spec §2.7): an address, a message, and an import's list of addresses. */
import { z } from 'zod';

/** Most addresses one import may name; more is a 400 (a larger body is a 413 first, BODY_LIMIT). */
export const MAX_IMPORT = 100;

const emailAddress = z.string().trim().max(320, 'is too long').email('must be an email address');

export const invitationInput = z.object({
  email: emailAddress,
  message: z.string().max(2000, 'must be at most 2000 characters').optional(),
});

export const importInput = z.object({
  list: z.string().max(100_000, 'is too long'),
  message: z.string().max(2000, 'must be at most 2000 characters').optional(),
});

/** The entries of an import list: split on newlines and on commas outside double quotes. */
export function listEntries(list: string): string[] {
  return list.split(/\r?\n|,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((e) => e.trim()).filter(Boolean);
}

/** The address of `a@b` or `"Name" <a@b>` (or `Name <a@b>`); null when it is not one. */
export function addressOf(entry: string): string | null {
  const angled = /^(?:"[^"]*"|[^"<>]*)\s*<([^<>\s]+)>$/.exec(entry);
  const parsed = emailAddress.safeParse(angled ? angled[1] : entry);
  return parsed.success ? parsed.data : null;
}
