/** The Tributary stack in full mode for the benchmark: a fresh database, a unique Redis prefix, seeded users and flows, one process per service. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { PostgresDirectory } from '../infra/postgres/directory/postgres-directory';
import { migrate } from '../infra/postgres/migrate';
import { shardsOwned, startBackends } from './backends';
import type { BenchOptions } from './options';
import { freePort, type ServiceProcess, spawnService } from './processes';
import { cleanUpOnAbort } from './script';

export interface SeededFlow {
  id: string;
  /** `org/flow`, as REST paths name it. */
  path: string;
}

export interface TributaryStack {
  /** REDIS_PREFIX of this run; flow events are published on `${prefix}flow:<id>`. */
  prefix: string;
  /** API tokens of the seeded users; every user is a member of every flow. */
  tokens: string[];
  /** Flows for the fan-out and memory runs. */
  flows: SeededFlow[];
  /** Flows for the end-to-end run (no fan-out subscriber watches them). */
  e2eFlows: SeededFlow[];
  /** `options.backends` message-backends, each owning its share of `options.shards` (bench/backends.ts). */
  backends: ServiceProcess[];
  webApi: ServiceProcess;
  streaming: ServiceProcess[];
  stop(): Promise<void>;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `trib_bench_${randomBytes(6).toString('hex')}`;
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(adminUrl, name),
    async drop() {
      const again = new Pool({ connectionString: adminUrl, max: 1 });
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => again.end());
    },
  };
}

/** Runs `jobs` with at most `limit` in flight. */
async function inBatches<T>(items: readonly T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await job(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

async function seed(url: string, options: BenchOptions): Promise<Pick<TributaryStack, 'tokens' | 'flows' | 'e2eFlows'>> {
  const pool = new Pool({ connectionString: url, max: 8 });
  try {
    await migrate(pool);
    const directory = new PostgresDirectory(pool);
    const org = await directory.createOrganization('Bench');
    const users = await Promise.all(
      Array.from({ length: options.users }, (_, i) => directory.createUser({ email: `bench${i}@example.test`, password: `bench-password-${i}`, nick: `bench${i}` })),
    );
    await Promise.all(users.map((u, i) => directory.addOrganizationMember(org.id, u.id, i === 0)));
    const tokens = await Promise.all(users.map((u) => directory.createApiToken(u.id)));
    const make = async (prefix: string, count: number): Promise<SeededFlow[]> => {
      const flows: SeededFlow[] = [];
      for (let i = 0; i < count; i++) {
        const flow = await directory.createFlow(org.id, `${prefix} ${i}`);
        flows.push({ id: flow.id, path: `${org.parameterizedName}/${flow.parameterizedName}` });
      }
      const pairs = flows.flatMap((f) => users.map((u) => [f.id, u.id] as const));
      await inBatches(pairs, 8, ([flowId, userId]) => directory.addFlowMember(flowId, userId));
      return flows;
    };
    return { tokens, flows: await make('fan', options.flows), e2eFlows: await make('e2e', options.e2eFlows) };
  } finally {
    await pool.end();
  }
}

/** Deletes every Redis key of the run's prefix (work-queue streams, presence, rate limits). */
async function dropRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Creates and seeds a fresh database, then starts `backends` message-backends over `shards` shards
 * (every shard owned before it returns), web-api and `streamingNodes` streaming-api processes (with
 * `streamingEnv` added to theirs).
 */
export async function startTributary(options: BenchOptions, log: (line: string) => void, streamingEnv: Record<string, string> = {}): Promise<TributaryStack> {
  const prefix = `bench:${randomBytes(4).toString('hex')}:`;
  const db = await createDatabase(options.databaseUrl);
  const started: ServiceProcess[] = [];
  let stopped: Promise<void> | null = null;
  // Once, whoever asks first: the caller, or the script being interrupted (bench/script.ts).
  const stop = () =>
    (stopped ??= (async () => {
      forget();
      await Promise.all(started.map((s) => s.stop()));
      await db.drop().catch((err: unknown) => log(`could not drop the bench database: ${String(err)}`));
      await dropRedisKeys(options.redisUrl, prefix).catch((err: unknown) => log(`could not delete the bench Redis keys: ${String(err)}`));
    })());
  const forget = cleanUpOnAbort(stop);
  try {
    const seeded = await seed(db.url, options);
    const env = {
      DATABASE_URL: db.url, REDIS_URL: options.redisUrl, REDIS_PREFIX: prefix, SHARDS: String(options.shards), DEMO: 'off',
      // The REST run posts far more than a person would; the default limit (1200/min) would stop it.
      RATE_LIMIT: '1000000000',
    };
    const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
    const start = async (service: string, extraEnv: Record<string, string> = {}) => {
      const proc = await spawnService(service, await freePort(), { ...env, ...extraEnv }, profile);
      started.push(proc);
      return proc;
    };
    const backends = await startBackends(options.backends, options.shards, () => start('message-backend'));
    const webApi = await start('web-api');
    const streaming: ServiceProcess[] = [];
    for (let i = 0; i < options.streamingNodes; i++) streaming.push(await start('streaming-api', streamingEnv));
    const ports = (procs: ServiceProcess[]) => procs.map((s) => `:${s.port}`).join(' ');
    const owners = await Promise.all(backends.map(async (b) => `:${b.port} owns ${await shardsOwned(b.port)}`));
    log(`tributary: ${options.shards} shard${options.shards > 1 ? 's' : ''}, message-backend ${owners.join(', ')}; web-api :${webApi.port}, streaming-api ${ports(streaming)} (prefix ${prefix})`);
    if (options.profileDir) log(`CPU profiles in ${options.profileDir}: ${[...backends, webApi, ...streaming].map((s) => `pid ${s.pid} ${s.name}`).join(', ')}`);
    return { prefix, ...seeded, backends, webApi, streaming, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
