/** Directory contract, sessions: the app's login sessions live until revoked or expired, and are never found by a made-up secret. */
import { setTimeout as sleep } from 'node:timers/promises';
import { hashSessionToken } from '../auth/sessions';
import type { DirectoryContext } from './directory.contract';
import type { User } from '../domain/types';
import { appError, PASSWORD, user } from './directory.fixtures';

const HOUR_MS = 3_600_000;

export function sessionStoreContract(ctx: DirectoryContext): void {
  const d = () => ctx.directory();
  /** A session opened as the app's login does: with the version of the password just checked. */
  const login = async (u: User, ttlMs = HOUR_MS) => {
    const match = await d().authenticatePassword(u.email, PASSWORD);
    if (!match) throw new Error(`${u.email} did not log in`);
    return d().sessions.createSession(u.id, ttlMs, match.passwordVersion);
  };

  it('authenticates a new session as its user until it is revoked, and no made-up secret', async () => {
    const u = await user(d(), 'session');
    const session = await login(u);
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now() + HOUR_MS / 2);
    expect(await d().sessions.authenticateSession(session.token)).toEqual(u);
    // The store keys sessions by hash: the hash itself is no secret that opens one.
    expect(await d().sessions.authenticateSession(hashSessionToken(session.token))).toBeNull();
    expect(await d().sessions.authenticateSession(session.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toBeNull();
    await d().sessions.revokeSession(session.token);
    expect(await d().sessions.authenticateSession(session.token)).toBeNull();
    await expect(d().sessions.revokeSession(session.token)).resolves.toBeUndefined();
  });

  it('keeps each session of a user apart: revoking one leaves the others', async () => {
    const u = await user(d(), 'devices');
    const [laptop, phone] = [await login(u), await login(u)];
    expect(phone.token).not.toBe(laptop.token);
    await d().sessions.revokeSession(laptop.token);
    expect(await d().sessions.authenticateSession(laptop.token)).toBeNull();
    expect(await d().sessions.authenticateSession(phone.token)).toEqual(u);
  });

  it('ends every live session of one user (a password change), not another user\'s', async () => {
    const [u, other] = [await user(d(), 'everywhere'), await user(d(), 'bystander')];
    const mine = [await login(u), await login(u)];
    const theirs = await login(other);
    expect(await d().sessions.revokeUserSessions(u.id)).toBe(2);
    for (const s of mine) expect(await d().sessions.authenticateSession(s.token)).toBeNull();
    expect(await d().sessions.authenticateSession(theirs.token)).toEqual(other);
    expect(await d().sessions.revokeUserSessions(u.id)).toBe(0);
  });

  it('stops authenticating a session once it has expired', async () => {
    const u = await user(d(), 'expiry');
    const session = await login(u, 200);
    expect(await d().sessions.authenticateSession(session.token)).toEqual(u);
    await sleep(400);
    expect(await d().sessions.authenticateSession(session.token)).toBeNull();
  });

  it('refuses a session for an unknown user (NOT_FOUND) and a lifetime that is not positive (VALIDATION_FAILED)', async () => {
    await expect(d().sessions.createSession(2 ** 30, HOUR_MS, 0)).rejects.toMatchObject(appError('NOT_FOUND'));
    const u = await user(d(), 'ttl');
    await expect(login(u, 0)).rejects.toMatchObject(appError('VALIDATION_FAILED', 'ttl'));
  });

  it('ties a session to the password it was opened with: a changed password ends it, and a login checked before the change cannot start one', async () => {
    const u = await user(d(), 'versions');
    const before = (await d().authenticatePassword(u.email, PASSWORD))!;
    const open = await d().sessions.createSession(u.id, HOUR_MS, before.passwordVersion);
    await d().setPassword(u.id, 'a-new-password-2');
    // Without revokeUserSessions: the version alone ends it.
    expect(await d().sessions.authenticateSession(open.token)).toBeNull();
    // The old password's check finished before the change, its session is written after it: refused.
    await expect(d().sessions.createSession(u.id, HOUR_MS, before.passwordVersion)).rejects.toMatchObject(appError('UNAUTHENTICATED'));
    const after = (await d().authenticatePassword(u.email, 'a-new-password-2'))!;
    expect(after.passwordVersion).not.toBe(before.passwordVersion);
    const fresh = await d().sessions.createSession(u.id, HOUR_MS, after.passwordVersion);
    expect(await d().sessions.authenticateSession(fresh.token)).toEqual(u);
  });
}
