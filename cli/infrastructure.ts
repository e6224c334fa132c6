/**
 * Builds the real implementations from the configuration: the only place that names Postgres,
 * Redis and MongoDB. Embedded mode (no DATABASE_URL/REDIS_URL) uses embedded Postgres and the
 * in-process bus and queue; full mode uses the servers the URLs point at, or with ZOOKEEPER_CONNECT
 * the Redis master the failover managers publish, following it through failovers.
 */
import type { Redis } from 'ioredis';
import { Pool } from 'pg';
import { LoginGuard } from '../core/auth/login-guard';
import type { Config } from '../core/config';
import { InProcessBus } from '../core/in-process/in-process-bus';
import { InProcessPresence } from '../core/in-process/in-process-presence';
import { InProcessRateLimiter } from '../core/in-process/in-process-rate-limiter';
import { InProcessWorkQueue } from '../core/in-process/in-process-work-queue';
import type { Log } from '../core/log';
import { PasswordHasher } from '../core/passwords';
import type { Bus } from '../core/ports/bus';
import type { Directory } from '../core/ports/directory';
import type { MessageStore } from '../core/ports/message-store';
import type { Presence } from '../core/ports/presence';
import type { RateLimiter } from '../core/ports/rate-limiter';
import type { ShardLeases } from '../core/ports/shard-lease';
import type { WorkQueue } from '../core/ports/work-queue';
import { mirrorLeasesTo } from '../infra/mongo/mongo-fenced-leases';
import { MongoMessageStore } from '../infra/mongo/mongo-message-store';
import { PostgresDirectory } from '../infra/postgres/directory/postgres-directory';
import { migrate } from '../infra/postgres/migrate';
import { PostgresMessageStore } from '../infra/postgres/postgres-message-store';
import { PostgresShardLeases } from '../infra/postgres/postgres-shard-leases';
import { discoverRedis } from '../infra/redis/discovered-redis';
import { RedisBus } from '../infra/redis/redis-bus';
import { RedisPresence } from '../infra/redis/redis-presence';
import { RedisRateLimiter } from '../infra/redis/redis-rate-limiter';
import { RedisWorkQueue } from '../infra/redis/redis-work-queue';
import { CliFailure } from './cli-failure';
import { openEmbeddedPostgres } from './embedded-postgres';
import { ensureDatabase } from './ensure-database';

const PRESENCE_TTL_MS = 5 * 60_000;

export interface Infrastructure {
  mode: 'embedded' | 'full';
  databaseUrl: string;
  pool: Pool;
  directory: Directory;
  store: MessageStore;
  bus: Bus;
  queue: WorkQueue;
  rateLimiter: RateLimiter;
  /** Failed-login limits, shared by every service that authenticates (in Redis in full mode). */
  loginGuard: LoginGuard;
  presence: Presence;
  /** Built on first use: only the message backend takes leases. */
  leases(): ShardLeases;
  close(): Promise<void>;
}

/** Builds every part; a failure part-way closes what was already opened (the embedded Postgres above all). */
export async function buildInfrastructure(config: Config, log: Log, options: { allowEmbedded: boolean }): Promise<Infrastructure> {
  const closers: (() => Promise<void>)[] = [];
  try {
    return await assemble(config, log, options, closers);
  } catch (err) {
    for (const close of closers) await close().catch((e: unknown) => log.warn({ err: e }, 'error while closing'));
    throw err;
  }
}

async function assemble(config: Config, log: Log, options: { allowEmbedded: boolean }, closers: (() => Promise<void>)[]): Promise<Infrastructure> {
  let databaseUrl = config.DATABASE_URL;
  if (databaseUrl) await ensureDatabase(databaseUrl, log);
  else {
    if (!options.allowEmbedded) throw new CliFailure('DATABASE_URL is required when a service runs on its own (only `start all` embeds Postgres)');
    const embedded = await openEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, role: 'server', log });
    closers.push(embedded.stop);
    databaseUrl = embedded.url;
  }
  if (!config.REDIS_URL && !config.ZOOKEEPER_CONNECT && !options.allowEmbedded) {
    throw new CliFailure('REDIS_URL or ZOOKEEPER_CONNECT is required when a service runs on its own (only `start all` can use the in-process bus)');
  }

  const pool = new Pool({ connectionString: databaseUrl, max: 20, application_name: 'tributary' });
  pool.on('error', (err) => log.warn({ err }, 'idle postgres connection failed'));
  closers.unshift(() => pool.end());
  const applied = await migrate(pool);
  if (applied.length) log.info({ applied }, 'migrations applied');

  let store: MessageStore;
  let mongo: MongoMessageStore | null = null;
  if (config.MONGO_URL) {
    mongo = new MongoMessageStore({ url: config.MONGO_URL, dbName: config.MONGO_DB });
    store = mongo;
    const opened = mongo;
    closers.unshift(() => opened.close());
  } else {
    store = new PostgresMessageStore({ pool });
  }
  await store.prepare();

  const redisUrl = config.REDIS_URL;
  let connect: (() => Redis) | undefined;
  if (config.ZOOKEEPER_CONNECT) {
    if (redisUrl) log.warn({ zookeeper: config.ZOOKEEPER_CONNECT }, 'both REDIS_URL and ZOOKEEPER_CONNECT are set; using the master from ZooKeeper');
    const discovered = await discoverRedis(config.ZOOKEEPER_CONNECT, log);
    // Last, after the Redis clients have closed: nothing should move them while they quit.
    closers.push(async () => discovered.close());
    connect = discovered.connect;
  }
  const redis = connect ? { connect } : redisUrl ? { url: redisUrl } : null;
  const prefix = config.REDIS_PREFIX;
  const bus: Bus = redis ? new RedisBus({ ...redis, prefix }) : new InProcessBus();
  const queue: WorkQueue = redis ? new RedisWorkQueue({ ...redis, prefix }) : new InProcessWorkQueue();
  const rateLimiter: RateLimiter = redis
    ? new RedisRateLimiter({ ...redis, prefix, limit: config.RATE_LIMIT, windowSeconds: config.RATE_WINDOW_S })
    : new InProcessRateLimiter({ limit: config.RATE_LIMIT, windowSeconds: config.RATE_WINDOW_S });
  const failureLimiter = (limit: number): RateLimiter =>
    redis ? new RedisRateLimiter({ ...redis, prefix, limit, windowSeconds: config.LOGIN_LOCK_S }) : new InProcessRateLimiter({ limit, windowSeconds: config.LOGIN_LOCK_S });
  const perAccount = failureLimiter(config.LOGIN_MAX_FAILURES);
  const perAddress = failureLimiter(config.LOGIN_MAX_FAILURES_PER_ADDRESS);
  closers.unshift(() => perAccount.close(), () => perAddress.close());
  const presence: Presence = redis ? new RedisPresence({ ...redis, prefix, ttlMs: PRESENCE_TTL_MS }) : new InProcessPresence({ ttlMs: PRESENCE_TTL_MS });
  closers.unshift(() => bus.close(), () => queue.close(), () => rateLimiter.close(), () => presence.close());

  let leases: ShardLeases | null = null;
  const url = databaseUrl;
  return {
    mode: redis && config.DATABASE_URL ? 'full' : 'embedded',
    databaseUrl: url,
    pool,
    directory: new PostgresDirectory(pool, new PasswordHasher({ maxConcurrent: config.PASSWORD_CONCURRENCY })),
    store,
    bus,
    queue,
    rateLimiter,
    loginGuard: new LoginGuard({ perAccount, perAddress }),
    presence,
    leases() {
      if (!leases) {
        const created = new PostgresShardLeases(url);
        leases = mongo ? mirrorLeasesTo(mongo, created) : created;
        closers.unshift(() => created.close());
      }
      return leases;
    },
    async close() {
      for (const close of closers) await close().catch((err: unknown) => log.warn({ err }, 'error while closing'));
    },
  };
}
