/**
 * A login check racing a password change (docs/security.md): a check that read the old password
 * before the change committed must neither be cached nor let a connection outlive the change.
 */

import type { User } from '../domain/types';
import { InProcessDirectory } from '../in-process/in-process-directory';
import { PasswordHasher } from '../passwords';
import type { PasswordMatch } from '../ports/credential-store';
import { Authenticator } from './authenticator';

/** The in-process directory, whose next password check holds its answer until the test releases it. */
class HeldDirectory extends InProcessDirectory {
  private hold: { reached: () => void; release: Promise<void> } | null = null;

  /** Resolves when the next password check has read the password (and waits for `release`). */
  holdNextCheck(release: Promise<void>): Promise<void> {
    return new Promise((reached) => {
      this.hold = { reached, release };
    });
  }

  override async authenticatePassword(email: string, password: string): Promise<PasswordMatch | null> {
    const match = await super.authenticatePassword(email, password);
    const hold = this.hold;
    this.hold = null;
    if (hold) {
      hold.reached();
      await hold.release;
    }
    return match;
  }
}

const basic = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let directory: HeldDirectory;
let authenticator: Authenticator;
let alice: User;
beforeEach(async () => {
  directory = new HeldDirectory(new PasswordHasher({ cost: 1024 }));
  authenticator = new Authenticator(directory);
  alice = await directory.createUser({ email: 'alice@example.com', password: 'old-password-1' });
});

/** Starts a password check that reads the old password, changes the password meanwhile, then lets the check finish. */
async function checkOvertakenByChange(authorization: string): Promise<{ outcome: Promise<unknown> }> {
  let release = (): void => {};
  const reached = directory.holdNextCheck(new Promise((r) => (release = r)));
  const pending = authenticator.authenticate(authorization, undefined);
  pending.catch(() => {}); // asserted by the caller
  await reached;
  await directory.setPassword(alice.id, 'new-password-2');
  authenticator.forgetUser(alice.id); // as the credentials-changed message does
  release();
  return { outcome: pending }; // wrapped: an async function's returned promise would be awaited with it
}

test('a password check overtaken by a password change is done again: the old password is refused, and not cached', async () => {
  await expect((await checkOvertakenByChange(basic(alice.email, 'old-password-1'))).outcome).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  await expect(authenticator.authenticate(basic(alice.email, 'old-password-1'), undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  const now = await authenticator.authenticate(basic(alice.email, 'new-password-2'), undefined);
  expect(now.user.id).toBe(alice.id);
  expect(authenticator.changedSince(alice.id, now.checkedAt)).toBe(false);
});

test('a caller checked before a change is changed since; one checked after is not; other users are untouched', async () => {
  const bob = await directory.createUser({ email: 'bob@example.com', password: 'bob-password-1' });
  const before = await authenticator.authenticate(basic(alice.email, 'old-password-1'), undefined);
  const bobs = await authenticator.authenticate(basic(bob.email, 'bob-password-1'), undefined);
  expect(authenticator.changedSince(alice.id, before.checkedAt)).toBe(false);
  authenticator.forgetUser(alice.id);
  expect(authenticator.changedSince(alice.id, before.checkedAt)).toBe(true);
  expect(authenticator.changedSince(bob.id, bobs.checkedAt)).toBe(false);
  // The cache was dropped: the next check is a new one, after the change.
  const after = await authenticator.authenticate(basic(alice.email, 'old-password-1'), undefined);
  expect(after.checkedAt).toBeGreaterThan(before.checkedAt);
  expect(authenticator.changedSince(alice.id, after.checkedAt)).toBe(false);
});

test('a token check overtaken by a change of the password is done again and still admits the token', async () => {
  const token = await directory.createApiToken(alice.id);
  let release = (): void => {};
  const reached = new Promise<void>((resolve) => {
    const original = directory.authenticateToken.bind(directory);
    directory.authenticateToken = async (t) => {
      const user = await original(t);
      directory.authenticateToken = original;
      resolve();
      await new Promise<void>((r) => (release = r));
      return user;
    };
  });
  const pending = authenticator.authenticate(basic(token), undefined);
  await reached;
  authenticator.forgetUser(alice.id);
  release();
  const caller = await pending;
  expect(caller).toMatchObject({ login: 'token', user: { id: alice.id } });
  expect(authenticator.changedSince(alice.id, caller.checkedAt)).toBe(false);
});

test('a bus gap forgets every cached login: a password changed while its announcement was lost stops working at once', async () => {
  const cached = await authenticator.authenticate(basic(alice.email, 'old-password-1'), undefined);
  await directory.setPassword(alice.id, 'new-password-2'); // announced on a bus that was reconnecting: never heard here
  await expect(authenticator.authenticate(basic(alice.email, 'old-password-1'), undefined)).resolves.toBe(cached); // the cache still holds it
  authenticator.forgetEveryone(); // the bus reported the gap
  expect(authenticator.gapSince(cached.checkedAt)).toBe(true);
  await expect(authenticator.authenticate(basic(alice.email, 'old-password-1'), undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  const now = await authenticator.authenticate(basic(alice.email, 'new-password-2'), undefined);
  expect(authenticator.gapSince(now.checkedAt)).toBe(false);
});
