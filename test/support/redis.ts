/** The real Redis server that `npm test` brings up, with a unique key/channel prefix per test file. */
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix such as `t:3fa9c1:` that keeps one test file's keys and channels apart from the others'. */
export function testPrefix(): string {
  return `t:${randomBytes(4).toString('hex')}:`;
}

/**
 * Kills the bus subscriber connection of the services using `prefix` (named `<prefix>bus-sub`), as a
 * Redis hiccup would; `admin` is any other connection to the same server. Expects exactly one.
 */
export async function killBusSubscriber(admin: Redis, prefix: string): Promise<void> {
  const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
  const ours = list.split('\n').filter((line) => line.includes(` name=${prefix}bus-sub `));
  if (ours.length !== 1) throw new Error(`expected one bus subscriber named ${prefix}bus-sub, found ${ours.length}`);
  const id = /\bid=(\d+)/.exec(ours[0]!)![1]!;
  await admin.call('CLIENT', 'KILL', 'ID', id);
}
