/** Role all-in-one: a full-mode node on one machine (Postgres, three Redis nodes, ZooKeeper, the services). */
import type { Role } from '../api';

export const role: Role = {
  name: 'all-in-one',
  description: 'PostgreSQL, Redis 6390 with replicas 6391 and 6392, ZooKeeper on 2181, and web-api, streaming-api and message-backend in full mode',
  runList: ['postgresql', 'redis', 'zookeeper', 'tributary'],
  defaultAttributes: {
    postgresql: { roles: [{ name: 'tributary' }], databases: [{ name: 'tributary', owner: 'tributary' }] },
    redis: {
      instances: [{ port: 6390 }, { port: 6391, replicaof: '127.0.0.1:6390' }, { port: 6392, replicaof: '127.0.0.1:6390' }],
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
