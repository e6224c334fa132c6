/** The real Redis server that `npm test` brings up, with a unique key/channel prefix per test file. */
import { randomBytes } from 'node:crypto';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix such as `t:3fa9c1:` that keeps one test file's keys and channels apart from the others'. */
export function testPrefix(): string {
  return `t:${randomBytes(4).toString('hex')}:`;
}
