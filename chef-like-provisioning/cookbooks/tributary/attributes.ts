/** The tributary cookbook's attributes: which services run from which checkout, with what environment. */
import { z } from 'zod';
import { checkoutRoot } from '../_lib';

export const SERVICE_NAMES = ['web-api', 'streaming-api', 'message-backend', 'all'] as const;

export const tributaryAttributes = z.object({
  root: z.string().default(checkoutRoot),
  services: z
    .array(z.object({ name: z.enum(SERVICE_NAMES), port: z.number().int().min(1).max(65535) }))
    .default([
      { name: 'web-api', port: 3000 },
      { name: 'streaming-api', port: 3001 },
      { name: 'message-backend', port: 3010 },
    ]),
  /** Added to every service's environment (DATABASE_URL, REDIS_URL, …); PORT is set per service. */
  env: z.record(z.string(), z.string()).default({}),
  runDir: z.string().default('/var/lib/tributary/run'),
  logDir: z.string().default('/var/log/tributary'),
});

export type TributaryAttributes = z.output<typeof tributaryAttributes>;
