/** The single-purpose roles: one kind of server per node (attributes say where the others are). */
import type { Role } from '../api';

export const redisNode: Role = {
  name: 'redis-node',
  description: 'Redis instances only (default: one on 6379; set redis.instances, with replicaof, per node)',
  runList: ['redis'],
  defaultAttributes: {},
};

export const zookeeper: Role = {
  name: 'zookeeper',
  description: 'A standalone ZooKeeper on 2181 (zookeeper::ensemble for three on one machine)',
  runList: ['zookeeper'],
  defaultAttributes: {},
};

export const app: Role = {
  name: 'app',
  description: 'web-api, streaming-api and message-backend; set tributary.env.DATABASE_URL and REDIS_URL to the data nodes',
  runList: ['tributary'],
  defaultAttributes: {
    tributary: { env: { DATABASE_URL: 'postgres://tributary@127.0.0.1:5432/tributary', REDIS_URL: 'redis://127.0.0.1:6390' } },
  },
};
