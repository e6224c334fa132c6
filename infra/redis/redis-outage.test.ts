/** Against a redis-server of the test's own: an outage (stopped, frozen, read-only replica) is UNAVAILABLE, a bug is not, and the connection log stays short. */
import { Redis } from 'ioredis';
import pino from 'pino';
import { AppError } from '../../core/errors';
import { startThrowawayRedis, type ThrowawayRedis } from '../../test/support/throwaway-redis';
import { connectByUrl } from './redis-client';
import { logConnections } from './redis-connection-log';
import { isRedisOutage } from './redis-outage';
import { RedisPresence } from './redis-presence';
import { RedisRateLimiter } from './redis-rate-limiter';

jest.setTimeout(30_000);

let redis: ThrowawayRedis;
const closers: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  redis = await startThrowawayRedis();
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close().catch(() => {});
  await redis.stop();
});

/** A rate limiter on the throwaway server with a short command timeout. */
function limiter(connect = connectByUrl(redis.url, 500)): RedisRateLimiter {
  const built = new RedisRateLimiter({ connect, limit: 5, windowSeconds: 60, prefix: 'o:' });
  closers.push(() => built.close());
  return built;
}

const unavailable = expect.objectContaining({ code: 'UNAVAILABLE', status: 503, retryAfterSeconds: 2, message: expect.stringMatching(/^Redis is unavailable/) });

test('a killed server: the command fails as UNAVAILABLE (503, Retry-After), not as an ioredis error', async () => {
  const rl = limiter();
  await rl.hit('k');
  redis.signal('SIGKILL');
  const error = await rl.hit('k').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect(error).toEqual(unavailable);
});

test('a frozen server (SIGSTOP) answers nothing: the command times out as UNAVAILABLE instead of hanging', async () => {
  const presence = new RedisPresence({ connect: connectByUrl(redis.url, 500), ttlMs: 60_000, prefix: 'o:' });
  closers.push(() => presence.close());
  await presence.touch('f', 1, Date.now());
  redis.signal('SIGSTOP');
  const started = Date.now();
  await expect(presence.lastActivity('f')).rejects.toEqual(unavailable);
  expect(Date.now() - started).toBeLessThan(2000);
  redis.signal('SIGCONT');
});

test('a master demoted to a read-only replica mid-switch-over: the MULTI aborts (EXECABORT) and that is UNAVAILABLE', async () => {
  const admin = new Redis(redis.url);
  closers.push(() => admin.quit());
  const rl = limiter();
  // Replicating a port where nothing listens: the server turns read-only at once and stays so.
  await admin.replicaof('127.0.0.1', String(redis.port === 1 ? 2 : 1));
  await expect(rl.hit('k')).rejects.toEqual(unavailable);
});

test('a command Redis refuses for what it is (a bug) is not an outage: it stays an error, a 500 at the edge', async () => {
  const admin = new Redis(redis.url);
  closers.push(() => admin.quit());
  await admin.hset('o:rl:typed', 'a', '1');
  const error = await limiter().hit('typed').catch((e: unknown) => e);
  expect(error).not.toBeInstanceOf(AppError);
  expect(String(error)).toMatch(/WRONGTYPE/);
  expect(isRedisOutage(error)).toBe(false);
});

test('every connection of a process tells one story: one line when Redis goes, none per reconnect, one when it is back', async () => {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const connect = logConnections(connectByUrl(redis.url, 500), log);
  const clients = [connect(), connect(), connect()];
  closers.push(async () => {
    for (const c of clients) c.disconnect();
  });
  await Promise.all(clients.map((c) => c.ping()));
  let errors = 0;
  for (const c of clients) c.on('error', () => errors++);
  redis.signal('SIGKILL');
  // Reconnect attempts every ≤ 200 ms on three clients: many errors, one line.
  while (errors < 15) await new Promise((r) => setTimeout(r, 50));
  expect(lines.map((l) => l.msg)).toEqual(['Redis unreachable; reconnecting (commands wait, then answer 503)']);
  await redis.restart();
  await Promise.all(clients.map((c) => c.ping()));
  expect(lines.map((l) => l.msg)).toEqual(['Redis unreachable; reconnecting (commands wait, then answer 503)', 'Redis reachable again']);
  expect(lines[1]).toMatchObject({ downForMs: expect.any(Number) });
});
