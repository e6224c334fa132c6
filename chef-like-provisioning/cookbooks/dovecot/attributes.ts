/** The dovecot cookbook's attributes: an IMAP server with test mailboxes for the email tests. */
import { z } from 'zod';

export const dovecotAttributes = z.strictObject({
  port: z.number().int().min(1).max(65535).default(1143),
  dataDir: z.string().default('/var/lib/tributary/dovecot'),
  users: z
    .array(z.strictObject({ name: z.string().regex(/^[^:\s]+$/), password: z.string().regex(/^[^:\s]+$/) }))
    .default([{ name: 'test@test.local', password: 'secret' }]),
});

export type DovecotAttributes = z.output<typeof dovecotAttributes>;
