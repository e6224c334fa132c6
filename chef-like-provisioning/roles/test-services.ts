/** Role test-services: every server `npm test` needs, plus the packages later issues' tests start themselves. */
import type { Role } from '../api';

export const role: Role = {
  name: 'test-services',
  description: 'PostgreSQL on 5432 (trust for 127.0.0.1) and Redis on 6379, adopted when already running; ZooKeeper, ngircd, Dovecot and redis-server installed but not started; Chromium for the app\'s browser tests',
  runList: ['postgresql', 'redis::system', 'zookeeper::package', 'ngircd::package', 'dovecot::package', 'chromium::package'],
  defaultAttributes: {
    // The machines start these two before we run (ADR 004): adopt them instead of supervising.
    postgresql: { adoptRunning: true, trustLocal: true, port: 5432 },
    redis: { system: { port: 6379 } },
  },
};
