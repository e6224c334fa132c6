/**
 * `npm run bench:rate-limit`: the request rate limiter on the real Redis, leased (k = leaseSizeFor
 * of the default RATE_LIMIT, ADR 031) beside its peer, the exact limiter (lease 1: one Redis round
 * trip per request, the cost before leases). Interleaved rounds of 64 requests in flight over 16
 * keys; prints median [min–max] requests/s of each. `--rounds=N`, `--requests=N`.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { leaseSizeFor } from '../core/leased-rate-limiter';
import { RedisRateLimiter } from '../infra/redis/redis-rate-limiter';
import { handleHelpAndUnknown } from './cli-flags';
import { fmtInt, spread } from './stats';

const flag = (name: string, fallback: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const url = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = 1200; // the default RATE_LIMIT: the budget is never the bound here, the round trips are
const IN_FLIGHT = 64;
const KEYS = 16;

/** Requests/s of `requests` hits, IN_FLIGHT at a time spread over KEYS keys, on a fresh limiter. */
async function measure(lease: number, requests: number, prefix: string): Promise<number> {
  const limiter = new RedisRateLimiter({ url, prefix, limit: Number.MAX_SAFE_INTEGER, windowSeconds: 60, lease });
  const keys = Array.from({ length: KEYS }, () => randomBytes(4).toString('hex'));
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, lane) => {
      while (next < requests) {
        next += 1;
        await limiter.hit(keys[lane % KEYS] as string);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await limiter.close();
  return requests / seconds;
}

async function main(): Promise<void> {
  handleHelpAndUnknown(process.argv.slice(2), 'npm run bench:rate-limit', 'The request rate limiter on the real Redis, leased beside the exact limiter (one round trip per request), in interleaved rounds (ADR 031).', [
    { flag: '--rounds=3', help: 'interleaved rounds; the report gives median [min–max]' },
    { flag: '--requests=20000', help: 'requests per round and limiter' },
  ]);
  const rounds = flag('rounds', 3);
  const requests = flag('requests', 20_000);
  const prefix = `bench:rl:${randomBytes(4).toString('hex')}:`;
  const lease = leaseSizeFor(LIMIT);
  const results: Record<string, number[]> = { [`exact (lease 1)`]: [], [`leased (lease ${lease})`]: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const [name, k] of [[`exact (lease 1)`, 1], [`leased (lease ${lease})`, lease]] as const) {
      const rate = await measure(k, requests, prefix);
      results[name]?.push(rate);
      console.log(`round ${round} ${name}: ${fmtInt(rate)} requests/s`);
    }
  }
  console.log(`\nRate limiter on Redis, ${IN_FLIGHT} requests in flight over ${KEYS} keys, median [min–max] of ${rounds} interleaved rounds`);
  for (const [name, rates] of Object.entries(results)) console.log(`${name.padEnd(20)} ${spread(rates, fmtInt)} requests/s`);
  const redis = new Redis(url);
  const stale = await redis.keys(`${prefix}*`);
  if (stale.length) await redis.del(...stale);
  await redis.quit();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
