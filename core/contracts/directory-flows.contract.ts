/** Directory contract, flows: creation rules, membership states, and the facts the access gate decides on. */
import type { DirectoryContext } from './directory.contract';
import { appError, flow, ids, organization, unique, user } from './directory.fixtures';

export function flowStoreContract(ctx: DirectoryContext): void {
  const d = () => ctx.directory();

  it('creates an invitation-mode flow with a parameterized name, found by path', async () => {
    const org = await organization(d());
    const suffix = unique();
    const f = await d().createFlow(org.id, `Main Room ${suffix}`);
    expect(f).toMatchObject({ organizationId: org.id, name: `Main Room ${suffix}`, parameterizedName: `main-room-${suffix}`, accessMode: 'invitation', disabled: false });
    expect(f.id).toEqual(expect.any(String));
    expect(f.createdAt).toBeInstanceOf(Date);
    const found = await d().flowByPath(org.parameterizedName, f.parameterizedName);
    expect(found?.flow).toEqual(f);
    expect(found?.organization).toEqual(org);
    expect(await d().flowByPath(org.parameterizedName, 'nope')).toBeNull();
    expect(await d().flowUsers(f.id)).toEqual([]);
  });

  it('refuses a name with no letter or digit, and a name taken in the organization but not in another', async () => {
    const [org, other] = [await organization(d()), await organization(d())];
    await expect(d().createFlow(org.id, '---')).rejects.toMatchObject(appError('VALIDATION_FAILED', 'name'));
    const f = await d().createFlow(org.id, 'Shared Name', 'organization');
    await expect(d().createFlow(org.id, 'shared  name!')).rejects.toMatchObject(appError('CONFLICT', 'name'));
    expect((await d().createFlow(other.id, 'Shared Name')).parameterizedName).toBe(f.parameterizedName);
  });

  it('makes the creator its first member, open and in the flow', async () => {
    const org = await organization(d());
    const creator = await user(d(), 'creator', [org]);
    const f = await d().createFlow(org.id, `Created ${unique()}`, 'link', creator.id);
    expect(f.accessMode).toBe('link');
    expect(await d().flowUsers(f.id)).toEqual([{ ...creator, disabled: false, inFlow: true }]);
    expect((await d().flowAccess(creator.id, { id: f.id }))?.membership).toEqual({ flowId: f.id, userId: creator.id, open: true, disabled: false, inFlow: true });
  });

  it("gives any caller a flow's facts by id or by path: membership and organization role, null when absent", async () => {
    const [org, other] = [await organization(d()), await organization(d())];
    const admin = await user(d(), 'admin', [org], true);
    const member = await user(d(), 'member', [org]);
    const stranger = await user(d(), 'stranger', [other]);
    const f = await flow(d(), org, 'Facts', 'invitation', [member]);
    const byId = await d().flowAccess(member.id, { id: f.id });
    expect(byId).toEqual({ flow: f, organization: org, membership: { flowId: f.id, userId: member.id, open: true, disabled: false, inFlow: true }, orgRole: 'member' });
    expect(await d().flowAccess(member.id, { org: org.parameterizedName, flow: f.parameterizedName })).toEqual(byId);
    expect(await d().flowAccess(admin.id, { id: f.id })).toMatchObject({ membership: null, orgRole: 'admin' });
    expect(await d().flowAccess(stranger.id, { id: f.id })).toMatchObject({ flow: f, membership: null, orgRole: null });
    expect(await d().flowAccess(member.id, { id: `missing-${unique()}` })).toBeNull();
    expect(await d().flowAccess(member.id, { org: other.parameterizedName, flow: f.parameterizedName })).toBeNull();
  });

  it("lists a caller's candidate flows: their memberships and their organizations' organization-mode flows, by organization then name", async () => {
    const [org, other] = [await organization(d()), await organization(d())];
    const me = await user(d(), 'me', [org]);
    const someone = await user(d(), 'someone', [org, other]);
    const open = await d().createFlow(org.id, 'beta open', 'organization');
    const joined = await d().createFlow(org.id, 'alpha joined', 'invitation', me.id);
    await d().createFlow(org.id, 'gamma invitation', 'invitation', someone.id);
    await d().createFlow(other.id, 'delta elsewhere', 'organization', someone.id);
    const guest = await d().createFlow(other.id, 'epsilon guest', 'invitation', someone.id);
    await d().addFlowMember(guest.id, me.id);
    const list = await d().flowAccessList(me.id);
    expect(list.map((a) => a.flow.id)).toEqual([joined.id, open.id, guest.id]);
    expect(list.map((a) => [a.membership !== null, a.orgRole])).toEqual([[true, 'member'], [false, 'member'], [true, null]]);
    expect(list[1]).toEqual(await d().flowAccess(me.id, { id: open.id }));
  });

  it('updates name, access mode and disabled, keeping the URL; unknown flows are NOT_FOUND', async () => {
    const org = await organization(d());
    const f = await flow(d(), org, 'Before');
    const updated = await d().updateFlow(f.id, { name: 'After', accessMode: 'organization' });
    expect(updated).toEqual({ ...f, name: 'After', accessMode: 'organization' });
    expect(await d().updateFlow(f.id, { disabled: true })).toEqual({ ...updated, disabled: true });
    expect((await d().flowByPath(org.parameterizedName, f.parameterizedName))?.flow.disabled).toBe(true);
    await expect(d().updateFlow(`missing-${unique()}`, { name: 'x' })).rejects.toMatchObject(appError('NOT_FOUND'));
  });

  it('opens and closes the tab; opening joins a non-member; adding a member again reopens without re-enabling', async () => {
    const org = await organization(d());
    const u = await user(d(), 'tabs', [org]);
    const f = await flow(d(), org, 'Tabs', 'organization');
    const membership = async () => (await d().flowAccess(u.id, { id: f.id }))?.membership;
    await d().setFlowOpen(f.id, u.id, true);
    expect(await membership()).toMatchObject({ open: true, inFlow: true, disabled: false });
    await d().setFlowOpen(f.id, u.id, false);
    expect(await membership()).toMatchObject({ open: false, inFlow: true });
    await d().setFlowMemberDisabled(f.id, u.id, true);
    await d().addFlowMember(f.id, u.id);
    expect(await membership()).toMatchObject({ open: true, inFlow: true, disabled: true });
  });

  it('disables and re-enables a member: active member ids leave them out, flow users keep them', async () => {
    const org = await organization(d());
    const [a, b] = [await user(d(), 'a', [org]), await user(d(), 'b', [org])];
    const f = await flow(d(), org, 'Active', 'invitation', [a, b]);
    expect((await d().flowMemberIds(f.id)).sort((x, y) => x - y)).toEqual([a.id, b.id]);
    await d().setFlowMemberDisabled(f.id, b.id, true);
    expect(await d().flowMemberIds(f.id)).toEqual([a.id]);
    expect((await d().flowUsers(f.id)).map((u) => [u.id, u.disabled, u.inFlow])).toEqual([[a.id, false, true], [b.id, true, true]]);
    await d().setFlowMemberDisabled(f.id, b.id, false);
    expect(ids(await d().flowUsers(f.id))).toEqual([a.id, b.id]);
    expect((await d().flowMemberIds(f.id)).length).toBe(2);
    const outsider = await user(d(), 'outsider', [org]);
    await expect(d().setFlowMemberDisabled(f.id, outsider.id, true)).rejects.toMatchObject(appError('NOT_FOUND'));
  });
}
