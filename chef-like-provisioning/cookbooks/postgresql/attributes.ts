/** The postgresql cookbook's attributes: which Debian cluster, and the roles and databases in it. */
import { z } from 'zod';
import { IDENTIFIER } from '../_lib';

const identifier = z.string().regex(IDENTIFIER, 'a lower-case SQL identifier');

export const postgresqlAttributes = z.strictObject({
  version: z.string().regex(/^\d+$/).default('15'),
  cluster: z.string().regex(/^[\w-]+$/).default('main'),
  port: z.number().int().min(1).max(65535).default(5432),
  /** Prepend `host all all 127.0.0.1/32 trust` to pg_hba.conf (test and single-node machines). */
  trustLocal: z.boolean().default(true),
  /**
   * Start the cluster only when nothing answers on its port, instead of supervising it as a
   * service: for machines whose Postgres was started by something else (ADR 004).
   */
  adoptRunning: z.boolean().default(false),
  roles: z.array(z.strictObject({ name: identifier, superuser: z.boolean().default(false) })).default([]),
  databases: z.array(z.strictObject({ name: identifier, owner: identifier.default('postgres') })).default([]),
});

export type PostgresqlAttributes = z.output<typeof postgresqlAttributes>;
