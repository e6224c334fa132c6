/** PasswordHasher: unknown accounts cost a real scrypt check, and concurrent checks are bounded. */
import { AppError } from './errors';
import { PasswordHasher } from './passwords';

describe('PasswordHasher', () => {
  it('verifies a hash it made, and refuses a wrong password', async () => {
    const hasher = new PasswordHasher();
    const hash = await hasher.hash('correct horse');
    expect(await hasher.verify('correct horse', hash)).toBe(true);
    expect(await hasher.verify('wrong', hash)).toBe(false);
  });

  it('hashes at cost 16384 unless a test lowers it; a hash of either cost verifies with either hasher', async () => {
    const [strong, cheap] = [new PasswordHasher(), new PasswordHasher({ cost: 1024 })];
    const [strongHash, cheapHash] = [await strong.hash('pw'), await cheap.hash('pw')];
    expect(strongHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(cheapHash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await strong.verify('pw', cheapHash)).toBe(true);
    expect(await cheap.verify('pw', strongHash)).toBe(true);
  });

  it('runs scrypt for an unknown account (null hash) and answers false, even for the dummy password', async () => {
    const hasher = new PasswordHasher();
    expect(hasher.verifications).toBe(0);
    expect(await hasher.verify('anything', null)).toBe(false);
    expect(hasher.verifications).toBe(1);
  });

  it('refuses with 429 once the waiting queue is full, and serves the rest', async () => {
    const hasher = new PasswordHasher({ maxConcurrent: 1, maxQueued: 1 });
    const hash = await hasher.hash('pw');
    const results = await Promise.allSettled([hasher.verify('pw', hash), hasher.verify('pw', hash), hasher.verify('pw', hash)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refused = (results[2] as PromiseRejectedResult).reason;
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 1 });
    // The queue drained: a new check is served.
    expect(await hasher.verify('pw', hash)).toBe(true);
  });

  it('an unknown account whose first check was refused under a flood is checked normally once the flood is over', async () => {
    const hasher = new PasswordHasher({ maxConcurrent: 1, maxQueued: 1 });
    const hash = await hasher.hash('pw');
    // The queue is full when the first unknown account comes: making the dummy hash is refused.
    const results = await Promise.allSettled([hasher.verify('pw', hash), hasher.verify('pw', hash), hasher.verify('anything', null)]);
    expect(results[2]).toMatchObject({ status: 'rejected', reason: { code: 'RATE_LIMITED' } });
    // Not refused for good (every unknown email would answer 429, telling them from known ones).
    expect(await hasher.verify('anything', null)).toBe(false);
  });
});
