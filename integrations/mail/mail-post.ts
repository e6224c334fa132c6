/**
 * An inbound mail as a post: a `discussion` (a team inbox item) by its sender, in the thread of its
 * conversation — every mail whose References (or In-Reply-To) start with the same Message-ID joins
 * the thread that Message-ID started. Shared by the SMTP receiver and IMAP sources.
 */
import { createHash } from 'node:crypto';
import type { InboundMail } from './parse-mail';

const digest = (s: string): string => createHash('sha256').update(s).digest('base64url');

/** Re:, Fwd:, AW:, … in front of a subject, however many. */
const REPLY_PREFIX = /^(\s*(re|fwd?|aw|wg|sv|vs|tr)(\[\d+\])?\s*:\s*)+/i;

/** The thread's title: the subject without its reply prefixes. */
export const threadTitleOf = (subject: string): string => subject.replace(REPLY_PREFIX, '').trim() || subject;

/** The external thread id of a conversation (Message-IDs can be longer than the 256 an id may have). */
export const mailThreadId = (threadKey: string): string => `mail:${digest(threadKey)}`;

/** The post's uuid for a mail received by a flow's address: one per Message-ID. */
export const mailUuid = (messageId: string): string => `mail-${digest(messageId)}`;

/** The post body of `mail`, without `uuid` (the caller derives it) or attachments (stored first). */
export function mailPost(mail: InboundMail): Record<string, unknown> {
  const body = [mail.text, ...mail.notes].filter(Boolean).join('\n\n');
  return {
    event: 'discussion',
    title: mail.subject,
    ...(body ? { body } : {}),
    author: { name: mail.from.name || mail.from.address, email: mail.from.address },
    external_thread_id: mailThreadId(mail.threadKey),
    thread: { title: threadTitleOf(mail.subject) },
  };
}
