/** The tributary cookbook's attributes: which services run from which checkout, with what environment. */
import { z } from 'zod';
import { checkoutRoot } from '../_lib';

export const SERVICE_NAMES = ['web-api', 'streaming-api', 'message-backend', 'all'] as const;

const port = z.number().int().min(1).max(65535);

/** Failover managers: `tributary start failover-manager`, one process per entry (ADR 011). */
const failoverAttributes = z.strictObject({
  /** MANAGER_ID and PORT of each manager; none by default (the `all-in-one` role runs three). */
  managers: z.array(z.strictObject({ id: z.string().regex(/^[\w.-]+$/, 'letters, digits, _ . -'), port })).default([]),
  /** REDIS_NODES of every manager: each Redis node it watches, host:port. */
  redisNodes: z.array(z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'host:port')).default([]),
});

export const tributaryAttributes = z.strictObject({
  root: z.string().default(checkoutRoot),
  services: z
    .array(z.strictObject({ name: z.enum(SERVICE_NAMES), port }))
    .default([
      { name: 'web-api', port: 3000 },
      { name: 'streaming-api', port: 3001 },
      { name: 'message-backend', port: 3010 },
    ]),
  /** Added to every service's environment (DATABASE_URL, REDIS_URL, …); PORT is set per service. */
  env: z.record(z.string(), z.string()).default({}),
  runDir: z.string().default('/var/lib/tributary/run'),
  logDir: z.string().default('/var/log/tributary'),
  failover: failoverAttributes.prefault({}),
}).superRefine((a, ctx) => {
  if (a.failover.managers.length === 0) return;
  if (a.failover.redisNodes.length === 0) ctx.addIssue({ code: 'custom', path: ['failover', 'redisNodes'], message: 'failover managers need the Redis nodes to watch (host:port each)' });
  if (!a.env.ZOOKEEPER_CONNECT) ctx.addIssue({ code: 'custom', path: ['env', 'ZOOKEEPER_CONNECT'], message: 'failover managers coordinate through ZooKeeper: set it (host:port,...)' });
});

export type TributaryAttributes = z.output<typeof tributaryAttributes>;
