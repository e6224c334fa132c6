/** The failover manager's configuration: environment variables, validated once at start. */
import { hostname } from 'node:os';
import { z } from 'zod';
import { parseInput } from '../core/validation';

const int = (def: number) => z.coerce.number().int().positive().default(def);
const address = z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port');

export const failoverConfigSchema = z.object({
  ZOOKEEPER_CONNECT: z.string().min(1),
  /** Comma-separated host:port list; the managers find out each node's role themselves. */
  REDIS_NODES: z
    .string()
    .transform((s) => s.split(',').map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(address).min(1)),
  PORT: z.coerce.number().int().min(0).max(65535).default(3300),
  HOST: z.string().default('0.0.0.0'),
  CHECK_INTERVAL_MS: int(250),
  DOWN_AFTER_CHECKS: int(3),
  CHECK_TIMEOUT_MS: int(200),
  ZK_SESSION_TIMEOUT_MS: int(4000),
  MANAGER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  /** How long a manual switch-over waits for the target to catch up before it gives up. */
  SWITCHOVER_TIMEOUT_MS: int(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type FailoverConfig = z.infer<typeof failoverConfigSchema>;

/** Reads and validates the environment; a bad value stops the start with the variable's name. */
export function loadFailoverConfig(env: NodeJS.ProcessEnv = process.env): FailoverConfig {
  return parseInput(failoverConfigSchema, env);
}
