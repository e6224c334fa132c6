/** Directory contract, join links: kept only on link-mode flows, replaced at once, removed, and turned off by leaving link mode. */
import { newJoinToken } from '../auth/join-link-tokens';
import type { DirectoryContext } from './directory.contract';
import { flow, organization, user } from './directory.fixtures';

export function joinLinkStoreContract(ctx: DirectoryContext): void {
  const d = () => ctx.directory();
  async function world(mode: 'link' | 'organization' = 'link') {
    const org = await organization(d());
    const member = await user(d(), 'sharer', [org]);
    return { member, target: await flow(d(), org, 'Linked', mode, [member]) };
  }

  it('keeps a link for a link-mode flow, and a new one replaces the old at once', async () => {
    const { member, target } = await world();
    expect(await d().joinLinks.tokenOf(target.id)).toBeNull();
    const [first, second] = [newJoinToken(), newJoinToken()];
    expect(await d().joinLinks.replace(target.id, first, member.id)).toBe(true);
    expect(await d().joinLinks.tokenOf(target.id)).toBe(first);
    expect(await d().joinLinks.replace(target.id, second, member.id)).toBe(true);
    expect(await d().joinLinks.tokenOf(target.id)).toBe(second);
  });

  it('removes a link once, and keeps none for a flow in another mode or no flow at all', async () => {
    const { member, target } = await world();
    await d().joinLinks.replace(target.id, newJoinToken(), member.id);
    expect(await d().joinLinks.remove(target.id)).toBe(true);
    expect(await d().joinLinks.remove(target.id)).toBe(false);
    expect(await d().joinLinks.tokenOf(target.id)).toBeNull();
    const open = await world('organization');
    expect(await d().joinLinks.replace(open.target.id, newJoinToken(), open.member.id)).toBe(false);
    expect(await d().joinLinks.tokenOf(open.target.id)).toBeNull();
    expect(await d().joinLinks.replace('no-such-flow', newJoinToken(), member.id)).toBe(false);
  });

  it('turns the link off when the flow leaves link mode; switching back does not revive it', async () => {
    const { member, target } = await world();
    await d().joinLinks.replace(target.id, newJoinToken(), member.id);
    await d().updateFlow(target.id, { name: 'Renamed' });
    expect(await d().joinLinks.tokenOf(target.id)).not.toBeNull();
    await d().updateFlow(target.id, { accessMode: 'invitation' });
    expect(await d().joinLinks.tokenOf(target.id)).toBeNull();
    await d().updateFlow(target.id, { accessMode: 'link' });
    expect(await d().joinLinks.tokenOf(target.id)).toBeNull();
    expect(await d().joinLinks.remove(target.id)).toBe(false);
  });
}
