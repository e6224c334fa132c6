/** An IMAP source's config (docs/integrations.md, "Mail in"): the mailbox to read, and how. `password` is a secret (sealed at rest, never returned). */
import { z } from 'zod';

/** Seconds between polls when `interval_s` is not given (IDLE wakes the source sooner: integrations/mail/imap-idle.ts). */
export const DEFAULT_IMAP_INTERVAL_S = 60;

export const imapConfig = z.strictObject({
  host: z.string().trim().min(1, "can't be blank").max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or an address'),
  port: z.number({ error: 'must be a port number' }).int().min(1).max(65535).optional(),
  /** TLS from the first byte (IMAPS, port 993); false for plain IMAP (STARTTLS is used when the server offers it). */
  secure: z.boolean({ error: 'must be true or false' }).optional(),
  user: z.string().min(1, "can't be blank").max(320),
  password: z.string().min(1, "can't be blank").max(1000),
  mailbox: z.string().min(1).max(200).optional(),
  interval_s: z.number({ error: 'must be a number of seconds' }).positive('must be positive').max(86_400 * 7, 'must be at most a week (604800)').optional(),
});

export type ImapConfig = z.infer<typeof imapConfig>;
