/** Redis connections that follow the master the failover managers publish in ZooKeeper (ZOOKEEPER_CONNECT). */
import { parseAddress } from '../../core/discovery/master-record';
import { RedisMasterDiscovery } from '../../core/discovery/redis-master-discovery';
import type { Log } from '../../core/log';
import { ZookeeperSession } from '../zookeeper/zookeeper-session';
import type { RedisConnect } from './redis-client';
import { RedisEndpoint } from './redis-endpoint';

/** How long a service waits at start for a first master record before it gives up. */
const DEFAULT_WAIT_MS = 60_000;
/** How often it says it is still waiting. */
const WAITING_LOG_EVERY_MS = 5_000;

/** What {@link discoverRedis} returns: a client factory for the Redis adapters' `connect` option. */
export interface DiscoveredRedis {
  discovery: RedisMasterDiscovery;
  endpoint: RedisEndpoint;
  /** A new ioredis client on the current master that moves with it. */
  connect: RedisConnect;
  close(): void;
}

/**
 * Starts discovery on `connectString`, waits (logging) for the first master record and returns
 * an endpoint bound to it: every later record moves every client made through `connect`.
 */
export async function discoverRedis(connectString: string, log: Log, options: { waitMs?: number; commandTimeoutMs?: number } = {}): Promise<DiscoveredRedis> {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const discovery = new RedisMasterDiscovery({
    connect: () => ZookeeperSession.connect(connectString, { connectTimeoutMs: 3000, sessionTimeoutMs: 4000 }),
    log: log.child({ component: 'redis-discovery' }),
  });
  const started = Date.now();
  log.info({ zookeeper: connectString }, 'waiting for the Redis master from ZooKeeper');
  const ticker = setInterval(() => {
    log.warn({ zookeeper: connectString, waitedMs: Date.now() - started, giveUpAfterMs: waitMs }, 'still waiting for a Redis master in ZooKeeper');
  }, WAITING_LOG_EVERY_MS);
  let first: ReturnType<RedisMasterDiscovery['current']>;
  try {
    first = await discovery.waitForMaster(waitMs);
  } catch (error) {
    discovery.close();
    throw new Error(`ZOOKEEPER_CONNECT=${connectString}: ${(error as Error).message}`);
  } finally {
    clearInterval(ticker);
  }
  const endpoint = new RedisEndpoint(parseAddress(first.master), options.commandTimeoutMs);
  discovery.onChange((record, previous) => {
    if (endpoint.moveTo(parseAddress(record.master))) {
      log.warn({ master: record.master, epoch: record.epoch, previous: previous?.master ?? null }, 'Redis master changed; moving every connection');
    }
  });
  // A newer record may have landed between the wait's end and the listener above.
  endpoint.moveTo(parseAddress(discovery.current()?.master ?? first.master));
  return {
    discovery,
    endpoint,
    connect: (connectionOptions) => endpoint.client(connectionOptions),
    close: () => discovery.close(),
  };
}
