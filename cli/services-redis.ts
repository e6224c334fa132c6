/** How a command reaches the Redis the services use: REDIS_URL, or the master the failover managers publish in ZooKeeper. */
import type { Config } from '../core/config';
import type { RedisConnect } from '../infra/redis/redis-client';

export interface ServicesRedis {
  /** For the Redis-backed parts' constructors (RedisWorkQueue, RedisBus): either a URL or a connect function. */
  options: { url: string } | { connect: RedisConnect };
  /** Ends the ZooKeeper session, if one was opened (the part closes its own connections). */
  close(): void;
}

/** Null in embedded mode (neither REDIS_URL nor ZOOKEEPER_CONNECT): the running process keeps its parts in memory. */
export async function servicesRedis(config: Config): Promise<ServicesRedis | null> {
  // Loaded here, not at the top: every other command (and --help) would pay for ioredis and ZooKeeper.
  if (config.ZOOKEEPER_CONNECT) {
    const { discoverRedis } = require('../infra/redis/discovered-redis') as typeof import('../infra/redis/discovered-redis');
    const { createLog } = require('../core/log') as typeof import('../core/log');
    const discovered = await discoverRedis(config.ZOOKEEPER_CONNECT, createLog('tributary-cli', 'warn'));
    return { options: { connect: discovered.connect }, close: () => discovered.close() };
  }
  if (!config.REDIS_URL) return null;
  return { options: { url: config.REDIS_URL }, close: () => {} };
}
