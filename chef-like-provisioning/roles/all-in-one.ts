/** Role all-in-one: a full-mode node on one machine (Postgres, three Redis nodes, ZooKeeper, three failover managers, the services). */
import type { Role } from '../api';

export const role: Role = {
  name: 'all-in-one',
  description: 'PostgreSQL, ZooKeeper on 2181, Redis 6390 with replicas 6391 and 6392, failover managers fm-1..3 on 3300-3302, and web-api, streaming-api and message-backend in full mode',
  // ZooKeeper before Redis: a node of a failover group starts only once it can read the master record (ADR 010).
  runList: ['postgresql', 'zookeeper', 'redis', 'tributary'],
  defaultAttributes: {
    postgresql: { roles: [{ name: 'tributary' }], databases: [{ name: 'tributary', owner: 'tributary' }] },
    redis: {
      // The seed of the group's first start; after that the failover managers' record decides.
      instances: [{ port: 6390 }, { port: 6391, replicaof: '127.0.0.1:6390' }, { port: 6392, replicaof: '127.0.0.1:6390' }],
      failover: { zookeeper: '127.0.0.1:2181' },
    },
    zookeeper: { clientPort: 2181 },
    tributary: {
      env: {
        DATABASE_URL: 'postgres://tributary@127.0.0.1:5432/tributary',
        ZOOKEEPER_CONNECT: '127.0.0.1:2181',
      },
      // The services find the Redis master through ZOOKEEPER_CONNECT (no REDIS_URL: it would be ignored), which the managers publish.
      failover: {
        managers: [{ id: 'fm-1', port: 3300 }, { id: 'fm-2', port: 3301 }, { id: 'fm-3', port: 3302 }],
        redisNodes: ['127.0.0.1:6390', '127.0.0.1:6391', '127.0.0.1:6392'],
      },
    },
  },
};
