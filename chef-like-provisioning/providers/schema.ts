/** zod pieces every provider's schema shares. */
import { z } from 'zod';

/** `notifies: [{ action, resource: 'kind[name]', timing }]`; targets are checked once all resources are known. */
export const notifiesSchema = z
  .array(
    z.strictObject({
      action: z.string().min(1),
      resource: z.string().regex(/^[a-z_]+\[.+\]$/, 'expected kind[name]'),
      timing: z.enum(['immediately', 'delayed']),
    }),
  )
  .optional();

/** An argv: a non-empty list of strings (no shell). */
export const argvSchema = z.array(z.string()).min(1);

/** Extra environment variables. */
export const envSchema = z.record(z.string(), z.string()).optional();
