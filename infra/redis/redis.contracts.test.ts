/** Runs the port contract suites against the Redis implementations on the test Redis, plus what only Redis has. */
import { Redis } from 'ioredis';
import { busContract } from '../../core/contracts/bus.contract';
import { ircResumePointsContract } from '../../core/contracts/irc-resume-points.contract';
import { presenceContract } from '../../core/contracts/presence.contract';
import { rateLimiterContract } from '../../core/contracts/rate-limiter.contract';
import { workQueueContract } from '../../core/contracts/work-queue.contract';
import { TEST_REDIS_URL, testPrefix } from '../../test/support/redis';
import { RedisBus } from './redis-bus';
import { RedisIrcResumePoints } from './redis-irc-resume-points';
import { RedisPresence } from './redis-presence';
import { RedisRateLimiter } from './redis-rate-limiter';
import { nextId, RedisWorkQueue } from './redis-work-queue';

const prefix = testPrefix();
const url = TEST_REDIS_URL;
const admin = new Redis(url);

afterAll(async () => {
  // Every key this file wrote starts with its prefix; SCAN rather than KEYS so a shared server is not stalled.
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await admin.quit();
});

busContract('RedisBus', async () => new RedisBus({ url, prefix }));
workQueueContract('RedisWorkQueue', async (namespace) => new RedisWorkQueue({ url, prefix: `${prefix}${namespace}:` }), {
  durable: true,
});
rateLimiterContract('RedisRateLimiter', async () => ({ node: async (settings) => new RedisRateLimiter({ ...settings, url, prefix }) }));
presenceContract('RedisPresence', async (ttlMs) => new RedisPresence({ ttlMs, url, prefix }));
ircResumePointsContract('RedisIrcResumePoints', async (options) => new RedisIrcResumePoints({ ...options, url, prefix }));

describe('RedisBus across processes', () => {
  const waitFor = (predicate: () => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const deadline = Date.now() + 5000;
      const poll = (): void => {
        if (predicate()) resolve();
        else if (Date.now() > deadline) reject(new Error('timed out'));
        else setTimeout(poll, 5);
      };
      poll();
    });

  it('delivers a publish from one bus to subscribers of another on the same prefix', async () => {
    const [publisher, subscriber] = [new RedisBus({ url, prefix }), new RedisBus({ url, prefix })];
    try {
      const got: string[] = [];
      await subscriber.subscribe('cross', (payload) => got.push(payload.toString()));
      await publisher.publish('cross', 'from afar');
      await waitFor(() => got.length === 1);
      expect(got).toEqual(['from afar']);
    } finally {
      await Promise.all([publisher.close(), subscriber.close()]);
    }
  });

  it('keeps handlers across a dropped subscriber connection and reports the re-subscription', async () => {
    const clients: Redis[] = [];
    let resubscribed = 0;
    const bus = new RedisBus({
      prefix,
      connect: (options = {}) => {
        const client = new Redis(url, options); // the bus's own options: its subscriber re-subscribes by itself
        // duplicate() goes through the same class, so capture it too: clients[1] is the subscriber.
        const duplicate = client.duplicate.bind(client);
        client.duplicate = (override) => {
          const copy = duplicate(override);
          clients.push(copy);
          return copy;
        };
        clients.push(client);
        return client;
      },
      onResubscribed: () => {
        resubscribed += 1;
      },
    });
    try {
      const got: string[] = [];
      await bus.subscribe('survivor', (payload) => got.push(payload.toString()));
      clients[1]?.disconnect(true);
      await waitFor(() => resubscribed === 1);
      await bus.publish('survivor', 'still here');
      await waitFor(() => got.length === 1);
      expect(got).toEqual(['still here']);
    } finally {
      await bus.close();
    }
  });
});

describe('RedisWorkQueue cursors', () => {
  it('computes the exclusive trim bound after a stream id', () => {
    expect(nextId('1700000000000-0')).toBe('1700000000000-1');
    expect(nextId('1700000000000-41')).toBe('1700000000000-42');
    expect(nextId('5-18446744073709551615')).toBe('6-0');
    expect(() => nextId('nonsense')).toThrow();
  });
});
