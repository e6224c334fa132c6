/** The tributary cookbook's attributes: which services run from which checkout, with what environment. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/**
 * The checkout the cookbook runs from: the nearest folder above this file with a package.json.
 * That holds from sources, from dist/ and from a fetched copy under `<root>/.data/`.
 */
function checkoutRoot(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && !dir.endsWith('/dist')) return dir;
  }
  return process.cwd();
}

export const SERVICE_NAMES = ['web-api', 'streaming-api', 'message-backend', 'all'] as const;

export const tributaryAttributes = z.strictObject({
  root: z.string().default(checkoutRoot),
  services: z
    .array(z.strictObject({ name: z.enum(SERVICE_NAMES), port: z.number().int().min(1).max(65535) }))
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
