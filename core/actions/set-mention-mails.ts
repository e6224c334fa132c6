/**
 * Mention mails on or off: `PUT /user {"mention_mails": …}` (a Tributary extension, docs/api.md) and
 * the signed unsubscribe link of every mention mail (`/unsubscribe/:token`), which only turns them off.
 */
import { z } from 'zod';
import { userOfUnsubscribeToken } from '../mail/unsubscribe-token';
import type { User } from '../domain/types';
import { notFound } from '../errors';
import type { MentionNotices } from '../ports/mention-notices';
import { parseInput } from '../validation';
import type { ActionDeps } from './deps';
import { truthy } from './inputs';

const preferenceInput = z.object({ mention_mails: truthy });

/** Sets the caller's mention mails from `raw.mention_mails`; 400 when it is missing or no boolean. */
export async function setMentionMails(deps: { mentionNotices: MentionNotices }, caller: User, raw: unknown): Promise<boolean> {
  const { mention_mails: on } = parseInput(preferenceInput, raw);
  await deps.mentionNotices.setMailsOn(caller.id, on);
  return on;
}

/** The user an unsubscribe link is for (400 malformed, 403 a signature that does not match, 404 no such user any more). */
export async function unsubscribeTarget(deps: Pick<ActionDeps, 'directory'>, key: Buffer | undefined, token: string): Promise<User> {
  if (!key) throw notFound('unsubscribe link (this server signs none: SOURCE_SECRET_KEY is unset)');
  const user = await deps.directory.userById(userOfUnsubscribeToken(key, token));
  if (!user) throw notFound('user of this unsubscribe link');
  return user;
}
