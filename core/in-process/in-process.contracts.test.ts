/** Runs the port contract suites against the in-process implementations. */
import { busContract } from '../contracts/bus.contract';
import { presenceContract } from '../contracts/presence.contract';
import { rateLimiterContract } from '../contracts/rate-limiter.contract';
import { workQueueContract } from '../contracts/work-queue.contract';
import { InProcessBus } from './in-process-bus';
import { InProcessPresence } from './in-process-presence';
import { InProcessRateLimiter } from './in-process-rate-limiter';
import { InProcessWorkQueue } from './in-process-work-queue';

busContract('InProcessBus', async () => new InProcessBus());
workQueueContract('InProcessWorkQueue', async () => new InProcessWorkQueue(), { durable: false });
rateLimiterContract('InProcessRateLimiter', async (settings) => new InProcessRateLimiter(settings));
presenceContract('InProcessPresence', async (ttlMs) => new InProcessPresence({ ttlMs }));
