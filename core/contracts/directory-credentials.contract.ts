/** Directory contract, credentials: API tokens, and password checks that cost the same for unknown emails. */
import type { DirectoryContext } from './directory.contract';
import { PASSWORD, user } from './directory.fixtures';

export function credentialStoreContract(ctx: DirectoryContext): void {
  const d = () => ctx.directory();

  it('authenticates each of a user\'s API tokens, and no made-up one', async () => {
    const u = await user(d(), 'tokens');
    const [first, second] = [await d().createApiToken(u.id), await d().createApiToken(u.id)];
    expect(first).toMatch(/^[0-9a-f]{40}$/);
    expect(second).not.toBe(first);
    expect(await d().authenticateToken(first)).toEqual(u);
    expect(await d().authenticateToken(second)).toEqual(u);
    expect(await d().authenticateToken(first.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).toBeNull();
    expect(await d().authenticateToken('')).toBeNull();
  });

  it('authenticates a password with the email in any case, and refuses a wrong one', async () => {
    const u = await user(d(), 'login');
    expect(await d().authenticatePassword(u.email.toUpperCase(), PASSWORD)).toEqual({ user: u, passwordVersion: expect.any(Number) });
    expect(await d().authenticatePassword(u.email, `${PASSWORD}!`)).toBeNull();
    expect(await d().authenticatePassword(u.email, '')).toBeNull();
  });

  it('checks a password for an unknown email with exactly the work of a known one (no enumeration by timing)', async () => {
    const u = await user(d(), 'timing');
    const before = ctx.hasher().verifications;
    expect(await d().authenticatePassword(`nobody-${u.email}`, PASSWORD)).toBeNull();
    expect(ctx.hasher().verifications).toBe(before + 1);
    expect(await d().authenticatePassword(u.email, 'wrong')).toBeNull();
    expect(ctx.hasher().verifications).toBe(before + 2);
  });

  it('replaces a password: the new one logs in as the next version, the old one no longer does; an unknown user is NOT_FOUND', async () => {
    const u = await user(d(), 'newpass');
    const before = (await d().authenticatePassword(u.email, PASSWORD))!.passwordVersion;
    await d().setPassword(u.id, 'a brand new password');
    // A new version: sessions opened with the old password end (the sessions contract).
    expect(await d().authenticatePassword(u.email, 'a brand new password')).toEqual({ user: u, passwordVersion: before + 1 });
    expect(await d().passwordVersionOf(u.id)).toBe(before + 1);
    expect(await d().passwordVersionOf(2 ** 30)).toBeNull();
    expect(await d().authenticatePassword(u.email, PASSWORD)).toBeNull();
    await expect(d().setPassword(2 ** 30, 'whatever-password')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
}
