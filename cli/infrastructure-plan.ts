/**
 * Which infrastructure a set of needs takes: the parts themselves, the parts they are built from,
 * and whether Postgres and Redis (or their embedded and in-process stand-ins) are opened at all.
 * Pure, so the registry's composition is unit-tested without servers.
 */
import type { Need } from '../core/service-descriptor';

/** Parts built from other parts: the ingress is the edge's use of the queue, the bus and the store. */
const BUILT_FROM: Partial<Record<Need, readonly Need[]>> = { ingress: ['queue', 'bus', 'store'] };
/** Parts that live in Postgres (the store too: its engine may be MongoDB, but migrations and /ready need Postgres). */
const ON_POSTGRES: ReadonlySet<Need> = new Set(['directory', 'store', 'leases', 'blobs', 'sourceRuns', 'mailOutbox', 'mentionNotices']);
/** Parts that live in Redis in full mode (in-process in embedded mode). */
const ON_REDIS: ReadonlySet<Need> = new Set(['bus', 'queue', 'presence', 'ircResumePoints', 'rateLimiter', 'loginGuard']);

export interface InfrastructurePlan {
  /** Every part to build, in the order of `Need`s first asked for, then what they are built from. */
  parts: ReadonlySet<Need>;
  /** Open Postgres (embedded or DATABASE_URL) and run the migrations. */
  postgres: boolean;
  /** Connect to Redis (REDIS_URL or ZOOKEEPER_CONNECT), or use the in-process stand-ins. */
  redis: boolean;
}

/** The closure of `needs` under BUILT_FROM, and the servers it takes. */
export function planInfrastructure(needs: Iterable<Need>): InfrastructurePlan {
  const parts = new Set<Need>();
  const add = (need: Need): void => {
    if (parts.has(need)) return;
    parts.add(need);
    for (const from of BUILT_FROM[need] ?? []) add(from);
  };
  for (const need of needs) add(need);
  const any = (on: ReadonlySet<Need>) => [...parts].some((p) => on.has(p));
  return { parts, postgres: any(ON_POSTGRES), redis: any(ON_REDIS) };
}
