/** The ngircd cookbook's attributes: one IRC server for the IRC integration's tests. */
import { z } from 'zod';

export const ngircdAttributes = z.strictObject({
  name: z.string().default('irc.test.local'),
  port: z.number().int().min(1).max(65535).default(16667),
  dataDir: z.string().default('/var/lib/tributary/ngircd'),
});

export type NgircdAttributes = z.output<typeof ngircdAttributes>;
