/** Directory contract, users: accounts and their defaults, email and nick rules on update, who may see whom. */
import type { DirectoryContext } from './directory.contract';
import { appError, flow, ids, organization, unique, user } from './directory.fixtures';

export function userStoreContract(ctx: DirectoryContext): void {
  const d = () => ctx.directory();

  it('creates a user with defaults, finds it by id and by email whatever the case', async () => {
    const email = `Jane.Doe-${unique()}@Example.test`;
    const u = await d().createUser({ email, password: 'pw-123456' });
    expect(u).toMatchObject({ email, nick: expect.stringMatching(/^JaneDoe-[0-9a-f]{8}$/), avatar: null, website: null });
    expect(u.name).toBe(u.nick);
    expect(u.createdAt).toBeInstanceOf(Date);
    expect(await d().userById(u.id)).toEqual(u);
    expect(await d().userByEmail(email.toLowerCase())).toEqual(u);
    expect(await d().userById(u.id + 1_000_000)).toBeNull();
    expect(await d().userByEmail(`nobody-${unique()}@example.test`)).toBeNull();
    const named = await d().createUser({ email: `x-${unique()}@example.test`, password: 'pw-123456', name: 'Mr. Smith!' });
    expect(named).toMatchObject({ name: 'Mr. Smith!', nick: 'MrSmith' });
  });

  it('refuses an email already used, whatever the case (409)', async () => {
    const u = await user(d(), 'dup');
    await expect(d().createUser({ email: u.email.toUpperCase(), password: 'pw-123456' })).rejects.toMatchObject(appError('CONFLICT', 'email'));
  });

  it('updates only the fields given', async () => {
    const u = await user(d(), 'upd');
    const email = `renamed-${unique()}@example.test`;
    const updated = await d().updateUser(u.id, { name: 'New Name', email });
    expect(updated).toEqual({ ...u, name: 'New Name', email });
    expect(await d().userById(u.id)).toEqual(updated);
    expect(await d().updateUser(u.id, {})).toEqual(updated);
    await expect(d().updateUser(u.id + 1_000_000, { name: 'x' })).rejects.toMatchObject(appError('NOT_FOUND'));
  });

  it('refuses on update an email that another user has (409)', async () => {
    const [a, b] = [await user(d(), 'a'), await user(d(), 'b')];
    await expect(d().updateUser(a.id, { email: b.email.toUpperCase() })).rejects.toMatchObject(appError('CONFLICT', 'email'));
    expect((await d().userById(a.id))?.email).toBe(a.email);
    expect((await d().updateUser(a.id, { email: a.email.toUpperCase() })).email).toBe(a.email.toUpperCase());
  });

  it('refuses a nick used by another member of one of the user\'s organizations, whatever the case (409)', async () => {
    const [shared, apart] = [await organization(d()), await organization(d())];
    const me = await user(d(), 'me', [shared]);
    const mate = await user(d(), 'mate', [shared]);
    const stranger = await user(d(), 'stranger', [apart]);
    await expect(d().updateUser(me.id, { nick: mate.nick.toUpperCase() })).rejects.toMatchObject(appError('CONFLICT', 'nick'));
    expect((await d().userById(me.id))?.nick).toBe(me.nick);
    expect((await d().updateUser(me.id, { nick: stranger.nick })).nick).toBe(stranger.nick);
    expect((await d().updateUser(me.id, { nick: stranger.nick.toUpperCase() })).nick).toBe(stranger.nick.toUpperCase());
  });

  it('shows a caller themselves, the members of organizations they administer, and their flow-mates', async () => {
    const org = await organization(d());
    const admin = await user(d(), 'admin', [org], true);
    const member = await user(d(), 'member', [org]);
    const mate = await user(d(), 'mate', [org]);
    const loner = await user(d(), 'loner', [org]);
    const outsider = await user(d(), 'outsider');
    await flow(d(), org, 'Room', 'invitation', [member, mate]);
    expect(ids(await d().visibleUsers(admin.id))).toEqual([admin.id, member.id, mate.id, loner.id]);
    expect(ids(await d().visibleUsers(member.id))).toEqual([member.id, mate.id]);
    expect(ids(await d().visibleUsers(loner.id))).toEqual([loner.id]);
    expect(ids(await d().visibleUsers(outsider.id))).toEqual([outsider.id]);
    expect((await d().visibleUsers(member.id))[1]).toEqual(mate);
  });

  it('hides flow-mates from a caller whose own membership is disabled, not from the others', async () => {
    const org = await organization(d());
    const [kept, banned] = [await user(d(), 'kept', [org]), await user(d(), 'banned', [org])];
    const room = await flow(d(), org, 'Room', 'invitation', [kept, banned]);
    await d().setFlowMemberDisabled(room.id, banned.id, true);
    expect(ids(await d().visibleUsers(banned.id))).toEqual([banned.id]);
    expect(ids(await d().visibleUsers(kept.id))).toEqual([kept.id, banned.id]);
  });

  it('shows one user to a caller who shares an organization with them, else nobody', async () => {
    const [org, other] = [await organization(d()), await organization(d())];
    const caller = await user(d(), 'caller', [org]);
    const mate = await user(d(), 'mate', [org]);
    const stranger = await user(d(), 'stranger', [other]);
    const homeless = await user(d(), 'homeless');
    expect(await d().visibleUser(caller.id, mate.id)).toEqual(mate);
    expect(await d().visibleUser(caller.id, caller.id)).toEqual(caller);
    expect(await d().visibleUser(caller.id, stranger.id)).toBeNull();
    expect(await d().visibleUser(homeless.id, homeless.id)).toBeNull();
    expect(await d().visibleUser(caller.id, caller.id + 1_000_000)).toBeNull();
  });
}
