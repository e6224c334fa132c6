/** Role all-in-one: a full-mode node on one machine (Postgres, three Redis nodes, ZooKeeper, the services). */
import type { Role } from '../api';

export const role: Role = {
  name: 'all-in-one',
  description: 'PostgreSQL, Redis 6390 with replicas 6391 and 6392, ZooKeeper on 2181, and web-api, streaming-api and message-backend in full mode',
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
        REDIS_URL: 'redis://127.0.0.1:6390',
        ZOOKEEPER_CONNECT: '127.0.0.1:2181',
      },
    },
  },
};
