/** The redis cookbook's attributes: the instances to run on this node, and the system Redis to adopt. */
import { z } from 'zod';

const hostPort = z.string().regex(/^[\w.-]+:\d+$/, 'host:port');

export const instanceSchema = z.strictObject({
  port: z.number().int().min(1).max(65535),
  /**
   * `host:port` of the master this instance replicates *while no failover record exists* (the seed
   * of the group's first start). With `failover` set, the managers' record decides after that (ADR 010).
   */
  replicaof: hostPort.optional(),
  /** Redis memory syntax, e.g. `256mb`. */
  maxmemory: z.string().regex(/^\d+[kmg]?b?$/i).optional(),
});

export const redisAttributes = z.strictObject({
  instances: z.array(instanceSchema).default([{ port: 6379 }]),
  dataDir: z.string().default('/var/lib/tributary/redis'),
  bind: z.string().default('127.0.0.1'),
  /** The host the failover managers and the other nodes know these instances by (`REDIS_NODES`); default: the first `bind` address. */
  host: z.string().regex(/^[\w.-]+$/, 'a host name or address').optional(),
  /**
   * Set when failover managers watch these instances: each start reads their master record from
   * this ZooKeeper and follows the recorded master (ADR 010). Unset: the `replicaof` seeds are the topology.
   */
  failover: z.strictObject({ zookeeper: z.string().min(1) }).optional(),
  /** The machine's own Redis (redis::system), started the way the CI machines start it. */
  system: z
    .strictObject({
      port: z.number().int().default(6379),
      dir: z.string().default('/var/lib/redis'),
      logFile: z.string().default('/var/log/redis/ci.log'),
    })
    .prefault({}),
});

export type RedisAttributes = z.output<typeof redisAttributes>;
export type RedisInstance = z.output<typeof instanceSchema>;
