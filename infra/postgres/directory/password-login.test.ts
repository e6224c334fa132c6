/**
 * Password logins on Postgres take the same time whether or not the email exists (no enumeration by
 * timing). That they take the same work (one scrypt each) is in the directory contract suite.
 */
import { performance } from 'node:perf_hooks';
import { PasswordHasher } from '../../../core/passwords';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres';
import { PostgresDirectory } from './postgres-directory';

let db: TestDatabase;
let hasher: PasswordHasher;
let directory: PostgresDirectory;
beforeAll(async () => {
  db = await createTestDatabase();
  hasher = new PasswordHasher();
  directory = new PostgresDirectory(db.pool, hasher);
  await directory.createUser({ email: 'known@example.test', password: 'right-password', nick: 'known' });
});
afterAll(async () => {
  await db.drop();
});

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(email: string): Promise<number> {
  const start = performance.now();
  expect(await directory.authenticatePassword(email, 'wrong-password')).toBeNull();
  return performance.now() - start;
}

describe('authenticatePassword', () => {
  it('takes comparable time for unknown and known emails (medians within 3x; it was ~10x)', async () => {
    await timed('warm-up@example.test');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await timed('known@example.test'));
      unknown.push(await timed(`nobody-${i}@example.test`));
    }
    expect(median(unknown)).toBeGreaterThan(median(known) / 3);
  });
});
