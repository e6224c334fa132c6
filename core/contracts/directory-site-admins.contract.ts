/** Directory contract, site administrators: a flag only the command line sets, off for everyone at first. */
import type { DirectoryContext } from './directory.contract';
import { appError, organization, user } from './directory.fixtures';

export function siteAdminStoreContract(ctx: DirectoryContext): void {
  const d = () => ctx.directory();

  it('nobody is a site admin at first, not even an organization admin', async () => {
    const org = await organization(d());
    const orgAdmin = await user(d(), 'orgadmin', [org], true);
    expect(await d().isSiteAdmin(orgAdmin.id)).toBe(false);
    expect(await d().isSiteAdmin(orgAdmin.id + 1_000_000)).toBe(false);
  });

  it('grants and withdraws it for one user only; setting it twice is no error', async () => {
    const [sre, other] = [await user(d(), 'sre'), await user(d(), 'other')];
    await d().setSiteAdmin(sre.id, true);
    await d().setSiteAdmin(sre.id, true);
    expect(await d().isSiteAdmin(sre.id)).toBe(true);
    expect(await d().isSiteAdmin(other.id)).toBe(false);
    // The user record itself is unchanged: the flag is not part of what the API shows of a user.
    expect(await d().userById(sre.id)).toEqual(sre);
    await d().setSiteAdmin(sre.id, false);
    expect(await d().isSiteAdmin(sre.id)).toBe(false);
  });

  it('refuses an unknown user (404)', async () => {
    const u = await user(d(), 'ghost');
    await expect(d().setSiteAdmin(u.id + 1_000_000, true)).rejects.toMatchObject(appError('NOT_FOUND'));
  });
}
