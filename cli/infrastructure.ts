/**
 * Builds the real implementations from the configuration: the only place that names Postgres,
 * Redis and MongoDB, and it builds only what the plan lists (cli/infrastructure-plan.ts).
 * Embedded mode (no DATABASE_URL/REDIS_URL) uses embedded Postgres and the in-process bus and queue; full mode uses the servers the URLs point at, or with ZOOKEEPER_CONNECT
 * the Redis master the failover managers publish, following it through failovers.
 */
import { join } from 'node:path';
import type { Pool } from 'pg';
import { LoginGuard } from '../core/auth/login-guard';
import type { Config } from '../core/config';
import { InProcessBus } from '../core/in-process/in-process-bus';
import { InProcessIrcResumePoints } from '../core/in-process/in-process-irc-resume-points';
import { InProcessPresence } from '../core/in-process/in-process-presence';
import { InProcessRateLimiter } from '../core/in-process/in-process-rate-limiter';
import { InProcessWorkQueue } from '../core/in-process/in-process-work-queue';
import { leaseSizeFor } from '../core/leased-rate-limiter';
import type { Log } from '../core/log';
import { PasswordHasher } from '../core/passwords';
import type { RateLimiter } from '../core/ports/rate-limiter';
import type { DependencyCheck, ServiceParts } from '../core/service-descriptor';
import { mirrorLeasesTo } from '../infra/mongo/mongo-fenced-leases';
import { DiskBlobStore } from '../infra/disk/disk-blob-store';
import { MongoMessageStore } from '../infra/mongo/mongo-message-store';
import { PostgresDirectory } from '../infra/postgres/directory/postgres-directory';
import { createPool, endPool } from '../infra/postgres/end-pool';
import { migrate } from '../infra/postgres/migrate';
import { PostgresBlobStore } from '../infra/postgres/postgres-blob-store';
import { relayCredentialChanges } from '../infra/postgres/postgres-credential-changes';
import { PostgresMessageStore } from '../infra/postgres/postgres-message-store';
import { PostgresShardLeases } from '../infra/postgres/postgres-shard-leases';
import { PostgresMailOutbox } from '../infra/postgres/mail/postgres-mail-outbox';
import { PostgresMentionNotices } from '../infra/postgres/mail/postgres-mention-notices';
import { PostgresSourceRuns } from '../infra/postgres/postgres-source-runs';
import { discoverRedis } from '../infra/redis/discovered-redis';
import { RedisBus } from '../infra/redis/redis-bus';
import { connectByUrl, type RedisConnect } from '../infra/redis/redis-client';
import { logConnections } from '../infra/redis/redis-connection-log';
import { RedisIrcResumePoints } from '../infra/redis/redis-irc-resume-points';
import { RedisPresence } from '../infra/redis/redis-presence';
import { RedisRateLimiter } from '../infra/redis/redis-rate-limiter';
import { RedisWorkQueue } from '../infra/redis/redis-work-queue';
import { CliFailure } from './cli-failure';
import { openEmbeddedPostgres } from './embedded-postgres';
import { ensureDatabase } from './ensure-database';
import type { InfrastructurePlan } from './infrastructure-plan';

const PRESENCE_TTL_MS = 5 * 60_000;

/** The parts infrastructure builds: all but the ingress, which the composition builds over them. */
export type InfrastructureParts = Partial<Omit<ServiceParts, 'ingress'>>;

export interface Infrastructure {
  mode: 'embedded' | 'full';
  /** Null when no selected service uses Postgres. */
  pool: Pool | null;
  /** Exactly the parts of the plan (but the ingress). */
  parts: InfrastructureParts;
  /** What /ready reports: each server opened (postgres, redis, zookeeper), by name. */
  readiness: Record<string, DependencyCheck>;
  close(): Promise<void>;
}

export interface InfrastructureOptions {
  /** Only `start all` may embed Postgres and use the in-process bus. */
  allowEmbedded: boolean;
  plan: InfrastructurePlan;
}

type Closers = (() => Promise<void>)[];

/** Builds the planned parts; a failure part-way closes what was already opened (the embedded Postgres above all). */
export async function buildInfrastructure(config: Config, log: Log, options: InfrastructureOptions): Promise<Infrastructure> {
  const closers: Closers = [];
  try {
    return await assemble(config, log, options, closers);
  } catch (err) {
    for (const close of closers) await close().catch((e: unknown) => log.warn({ err: e }, 'error while closing'));
    throw err;
  }
}

async function assemble(config: Config, log: Log, { allowEmbedded, plan }: InfrastructureOptions, closers: Closers): Promise<Infrastructure> {
  if (plan.postgres && !config.DATABASE_URL && !allowEmbedded) throw new CliFailure('DATABASE_URL is required when a service runs on its own (only `start all` embeds Postgres)');
  if (plan.redis && !config.REDIS_URL && !config.ZOOKEEPER_CONNECT && !allowEmbedded) {
    throw new CliFailure('REDIS_URL or ZOOKEEPER_CONNECT is required when a service runs on its own (only `start all` can use the in-process bus)');
  }
  const readiness: Record<string, DependencyCheck> = {};
  const postgres = plan.postgres ? await openPostgres(config, log, closers) : null;
  if (postgres) readiness.postgres = { required: true, check: async () => void (await postgres.pool.query('SELECT 1')) };
  const connect = plan.redis ? await redisConnection(config, log, closers, readiness) : null;
  const redis = connect ? { connect } : null;
  const wanted = plan.parts;
  const parts: InfrastructureParts = {};
  let mongo: MongoMessageStore | null = null;

  if (postgres) {
    if (wanted.has('store')) {
      if (config.MONGO_URL) {
        const opened = new MongoMessageStore({ url: config.MONGO_URL, dbName: config.MONGO_DB });
        closers.unshift(() => opened.close());
        mongo = opened;
        parts.store = opened;
      } else parts.store = new PostgresMessageStore({ pool: postgres.pool });
      await parts.store.prepare();
    }
    // Full mode's nodes must all serve every file: the database they share. Embedded: files under DATA_DIR.
    if (wanted.has('blobs')) parts.blobs = config.DATABASE_URL ? new PostgresBlobStore(postgres.pool) : new DiskBlobStore(join(config.DATA_DIR, 'files'));
    if (wanted.has('directory')) parts.directory = new PostgresDirectory(postgres.pool, new PasswordHasher({ maxConcurrent: config.PASSWORD_CONCURRENCY }));
    if (wanted.has('sourceRuns')) parts.sourceRuns = new PostgresSourceRuns(postgres.pool);
    if (wanted.has('mailOutbox')) parts.mailOutbox = new PostgresMailOutbox(postgres.pool);
    if (wanted.has('mentionNotices')) parts.mentionNotices = new PostgresMentionNotices(postgres.pool);
    if (wanted.has('leases')) {
      const leases = new PostgresShardLeases(postgres.url);
      closers.unshift(() => leases.close());
      parts.leases = mongo ? mirrorLeasesTo(mongo, leases) : leases;
    }
  }

  const prefix = config.REDIS_PREFIX;
  const limiter = (limit: number, windowSeconds: number, lease = 1): RateLimiter => {
    const built = redis ? new RedisRateLimiter({ ...redis, prefix, limit, windowSeconds, lease }) : new InProcessRateLimiter({ limit, windowSeconds, lease });
    closers.unshift(() => built.close());
    return built;
  };
  if (wanted.has('bus')) parts.bus = closing(closers, redis ? new RedisBus({ ...redis, prefix }) : new InProcessBus());
  // No bus the admin commands can reach: they tell this process of a changed password through the database.
  if (parts.bus instanceof InProcessBus && postgres) {
    const bus = parts.bus;
    closing(closers, await relayCredentialChanges(postgres.url, bus, log, () => bus.reportGap()));
  }
  if (wanted.has('queue')) parts.queue = closing(closers, redis ? new RedisWorkQueue({ ...redis, prefix }) : new InProcessWorkQueue());
  // Requests take their budget from Redis in leases (ADR 031); login failures stay exact (lease 1).
  if (wanted.has('rateLimiter')) parts.rateLimiter = limiter(config.RATE_LIMIT, config.RATE_WINDOW_S, leaseSizeFor(config.RATE_LIMIT));
  if (wanted.has('loginGuard')) {
    const perAccount = limiter(config.LOGIN_MAX_FAILURES, config.LOGIN_LOCK_S);
    const perAddress = limiter(config.LOGIN_MAX_FAILURES_PER_ADDRESS, config.LOGIN_LOCK_S);
    parts.loginGuard = new LoginGuard({ perAccount, perAddress });
  }
  if (wanted.has('presence')) {
    parts.presence = closing(closers, redis ? new RedisPresence({ ...redis, prefix, ttlMs: PRESENCE_TTL_MS }) : new InProcessPresence({ ttlMs: PRESENCE_TTL_MS }));
  }
  if (wanted.has('ircResumePoints')) parts.ircResumePoints = closing(closers, redis ? new RedisIrcResumePoints({ ...redis, prefix }) : new InProcessIrcResumePoints());

  return {
    mode: (config.REDIS_URL || config.ZOOKEEPER_CONNECT) && config.DATABASE_URL ? 'full' : 'embedded',
    pool: postgres?.pool ?? null,
    parts,
    readiness,
    async close() {
      for (const close of closers) await close().catch((err: unknown) => log.warn({ err }, 'error while closing'));
    },
  };
}

/** Registers `part` to be closed (before what was opened earlier) and returns it. */
function closing<T extends { close(): Promise<void> }>(closers: Closers, part: T): T {
  closers.unshift(() => part.close());
  return part;
}

/** DATABASE_URL's database (created if missing) or the embedded Postgres, migrated. */
async function openPostgres(config: Config, log: Log, closers: Closers): Promise<{ url: string; pool: Pool }> {
  let url = config.DATABASE_URL;
  if (url) await ensureDatabase(url, log);
  else {
    const embedded = await openEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, role: 'server', log });
    closers.push(embedded.stop);
    url = embedded.url;
  }
  const pool = createPool({ connectionString: url, max: 20, application_name: 'tributary' }, log);
  closers.unshift(() => endPool(pool));
  const applied = await migrate(pool);
  if (applied.length) log.info({ applied }, 'migrations applied');
  return { url, pool };
}

/**
 * How the Redis parts connect: REDIS_URL, or the master ZooKeeper names; null for the in-process
 * stand-ins. Every client's connection trouble is logged as one story (redis-connection-log.ts),
 * and /ready gets a `redis` check (and `zookeeper`, which the process can do without for a while).
 */
async function redisConnection(config: Config, log: Log, closers: Closers, readiness: Record<string, DependencyCheck>): Promise<RedisConnect | null> {
  const timeoutMs = config.REDIS_COMMAND_TIMEOUT_MS;
  let connect: RedisConnect;
  if (config.ZOOKEEPER_CONNECT) {
    if (config.REDIS_URL) log.warn({ zookeeper: config.ZOOKEEPER_CONNECT }, 'both REDIS_URL and ZOOKEEPER_CONNECT are set; using the master from ZooKeeper');
    const discovered = await discoverRedis(config.ZOOKEEPER_CONNECT, log, { commandTimeoutMs: timeoutMs });
    // Last, after the Redis clients have closed: nothing should move them while they quit.
    closers.push(async () => discovered.close());
    readiness.zookeeper = {
      required: false,
      check: async () => {
        if (!discovered.discovery.isConnected) throw new Error(`not connected; keeping the last known Redis master ${discovered.endpoint.current().host}:${discovered.endpoint.current().port}`);
      },
    };
    connect = discovered.connect;
  } else if (config.REDIS_URL) {
    connect = connectByUrl(config.REDIS_URL, timeoutMs);
  } else {
    return null;
  }
  const logged = logConnections(connect, log.child({ component: 'redis' }));
  // A connection of its own, so that /ready says whether a command gets through now.
  const probe = logged({ connectionName: `${config.REDIS_PREFIX}ready-probe` });
  closers.unshift(async () => probe.disconnect());
  readiness.redis = {
    required: true,
    check: async () => {
      if (probe.status !== 'ready') throw new Error(`not connected (${probe.status})`);
      await probe.ping();
    },
  };
  return logged;
}
