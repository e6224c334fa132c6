/** Directory contract, organizations: names and URLs, membership and roles, nick uniqueness, removal. */
import type { DirectoryContext } from './directory.contract';
import { appError, flow, ids, organization, unique, user } from './directory.fixtures';

export function organizationStoreContract(ctx: DirectoryContext): void {
  const d = () => ctx.directory();

  it('creates an organization with a parameterized name and finds it by that name', async () => {
    const suffix = unique();
    const org = await d().createOrganization(`Café Acme ${suffix}!`);
    expect(org).toMatchObject({ name: `Café Acme ${suffix}!`, parameterizedName: `cafe-acme-${suffix}` });
    expect(org.id).toEqual(expect.any(Number));
    expect(org.createdAt).toBeInstanceOf(Date);
    expect(await d().organizationByName(org.parameterizedName)).toEqual(org);
    expect(await d().organizationByName(`nope-${suffix}`)).toBeNull();
  });

  it('refuses a name with no letter or digit, and a parameterized name already taken', async () => {
    await expect(d().createOrganization('!!! ...')).rejects.toMatchObject(appError('VALIDATION_FAILED', 'name'));
    const org = await organization(d(), 'Taken');
    await expect(d().createOrganization(org.name.toUpperCase().replace(' ', '  '))).rejects.toMatchObject(appError('CONFLICT', 'name'));
  });

  it('renames the display name only: the URL stays', async () => {
    const org = await organization(d());
    await d().renameOrganization(org.id, 'Brand New Name');
    expect(await d().organizationByName(org.parameterizedName)).toMatchObject({ id: org.id, name: 'Brand New Name' });
  });

  it("lists a member's organizations with their size and the member's role, and hides the others", async () => {
    const [a, b, other] = [await organization(d(), 'A'), await organization(d(), 'B'), await organization(d(), 'C')];
    const admin = await user(d(), 'admin', [a], true);
    await d().addOrganizationMember(b.id, admin.id, false);
    await user(d(), 'mate', [a, other]);
    const mine = await d().organizationsOf(admin.id);
    expect(mine.map((o) => [o.id, o.userCount, o.admin])).toEqual([[a.id, 2, true], [b.id, 1, false]]);
    expect(mine[0]).toMatchObject({ name: a.name, parameterizedName: a.parameterizedName });
    expect(await d().organizationOf(admin.id, b.parameterizedName)).toMatchObject({ id: b.id, admin: false, userCount: 1 });
    expect(await d().organizationOf(admin.id, other.parameterizedName)).toBeNull();
    expect(await d().organizationByIdOf(admin.id, a.id)).toMatchObject({ id: a.id, admin: true, userCount: 2 });
    expect(await d().organizationByIdOf(admin.id, other.id)).toBeNull();
  });

  it('adding a member again changes their role', async () => {
    const org = await organization(d());
    const u = await user(d(), 'promoted', [org]);
    await d().addOrganizationMember(org.id, u.id, true);
    expect((await d().organizationMembers(org.id)).map((m) => [m.id, m.admin])).toEqual([[u.id, true]]);
    await d().addOrganizationMember(org.id, u.id, false);
    expect((await d().organizationByIdOf(u.id, org.id))?.admin).toBe(false);
  });

  it('joining an organization adds a non-admin member once and never changes the role of one already in it', async () => {
    const org = await organization(d());
    const admin = await user(d(), 'boss', [org], true);
    const newcomer = await user(d(), 'newcomer', []);
    expect(await d().joinOrganization(org.id, newcomer.id)).toBe(true);
    expect(await d().joinOrganization(org.id, newcomer.id)).toBe(false);
    expect(await d().joinOrganization(org.id, admin.id)).toBe(false);
    expect((await d().organizationMembers(org.id)).map((m) => [m.id, m.admin])).toEqual([[admin.id, true], [newcomer.id, false]]);
  });

  it('joining an organization is refused when another member has the nick', async () => {
    const org = await organization(d());
    const holder = await user(d(), 'samenick', [org]);
    const twin = await d().createUser({ email: `twin-${holder.id}@example.test`, password: 'twin-password', nick: holder.nick.toUpperCase() });
    await expect(d().joinOrganization(org.id, twin.id)).rejects.toMatchObject(appError('CONFLICT', 'nick'));
    expect((await d().organizationMembers(org.id)).map((m) => m.id)).toEqual([holder.id]);
  });

  it('lists members by id with their role', async () => {
    const org = await organization(d());
    const first = await user(d(), 'first', [org], true);
    const second = await user(d(), 'second', [org]);
    const members = await d().organizationMembers(org.id);
    expect(members).toEqual([{ ...first, admin: true }, { ...second, admin: false }]);
  });

  it('keeps nicks unique per organization whatever the case (409), and lets other organizations reuse them', async () => {
    const [org, elsewhere] = [await organization(d()), await organization(d())];
    const nick = `Nick_${unique()}`;
    const holder = await d().createUser({ email: `holder-${unique()}@example.test`, password: 'pw-123456', nick });
    const twin = await d().createUser({ email: `twin-${unique()}@example.test`, password: 'pw-123456', nick: nick.toUpperCase() });
    await d().addOrganizationMember(org.id, holder.id, false);
    await expect(d().addOrganizationMember(org.id, twin.id, false)).rejects.toMatchObject(appError('CONFLICT', 'nick'));
    expect(ids(await d().organizationMembers(org.id))).toEqual([holder.id]);
    await d().addOrganizationMember(elsewhere.id, twin.id, false);
    expect(ids(await d().organizationMembers(elsewhere.id))).toEqual([twin.id]);
  });

  it("removes a member together with their memberships of the organization's flows, and only those", async () => {
    const [org, other] = [await organization(d()), await organization(d())];
    const leaver = await user(d(), 'leaver', [org, other]);
    const stayer = await user(d(), 'stayer', [org]);
    const here = await flow(d(), org, 'Here', 'invitation', [leaver, stayer]);
    const there = await flow(d(), other, 'There', 'invitation', [leaver]);
    await d().removeOrganizationMember(org.id, leaver.id);
    expect(ids(await d().organizationMembers(org.id))).toEqual([stayer.id]);
    expect(await d().organizationByIdOf(leaver.id, org.id)).toBeNull();
    expect(ids(await d().flowUsers(here.id))).toEqual([stayer.id]);
    expect(ids(await d().flowUsers(there.id))).toEqual([leaver.id]);
  });
}
