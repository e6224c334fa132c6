/** Runs the port contract suites against the in-process implementations. */
import { busContract } from '../contracts/bus.contract';
import { ircResumePointsContract } from '../contracts/irc-resume-points.contract';
import { messageStoreContract } from '../contracts/message-store.contract';
import { presenceContract } from '../contracts/presence.contract';
import { rateLimiterContract } from '../contracts/rate-limiter.contract';
import { shardLeasesContract } from '../contracts/shard-leases.contract';
import { workQueueContract } from '../contracts/work-queue.contract';
import { InProcessBus } from './in-process-bus';
import { InProcessIrcResumePoints } from './in-process-irc-resume-points';
import { InProcessMessageStore } from './in-process-message-store';
import { InProcessPresence } from './in-process-presence';
import { InProcessRateBuckets, InProcessRateLimiter } from './in-process-rate-limiter';
import { InProcessLeaseTable, InProcessShardLeases } from './in-process-shard-leases';
import { InProcessWorkQueue } from './in-process-work-queue';

busContract('InProcessBus', async () => new InProcessBus());
workQueueContract('InProcessWorkQueue', async () => new InProcessWorkQueue(), { durable: false });
// One bucket per test behind every node it makes, as one Redis is behind every process.
rateLimiterContract('InProcessRateLimiter', async () => {
  const buckets = new InProcessRateBuckets();
  return { node: async (settings) => new InProcessRateLimiter({ ...settings, buckets }) };
});
presenceContract('InProcessPresence', async (ttlMs) => new InProcessPresence({ ttlMs }));
// One map behind every instance, as one Redis is behind every node.
const sharedPoints = new InProcessIrcResumePoints();
ircResumePointsContract('InProcessIrcResumePoints', async (options) => (Object.keys(options).length === 0 ? sharedPoints : new InProcessIrcResumePoints(options)));

messageStoreContract('in-process', async () => {
  const tokens = new Map<number, number>();
  return {
    store: new InProcessMessageStore({ leaseToken: (shard) => tokens.get(shard) }),
    setLeaseToken: async (shard, token) => void tokens.set(shard, token),
    teardown: async () => {},
  };
});

shardLeasesContract('in-process', async () => {
  const table = new InProcessLeaseTable();
  return {
    worker: async () => new InProcessShardLeases(table),
    storedToken: async (shard) => table.token(shard) ?? null,
    loseConnection: async (worker) => (worker as InProcessShardLeases).loseAll(),
    teardown: async () => {},
  };
});
