/** Accepting an invitation on in-process parts: an archived flow or a blocked invitee is refused and the link stays usable; a newcomer joins the organization as a non-admin. */
import { hashFlowToken, newFlowToken } from '../auth/flow-tokens';
import { InProcessBus } from '../in-process/in-process-bus';
import { InProcessDirectory } from '../in-process/in-process-directory';
import { PasswordHasher } from '../passwords';
import { acceptInvitation } from './accept-invitation';

async function invited(email: string) {
  const directory = new InProcessDirectory(new PasswordHasher({ cost: 1024, maxConcurrent: 2 }));
  const org = await directory.createOrganization('Acme');
  const inviter = await directory.createUser({ email: 'inviter@example.test', password: 'inviter-password', nick: 'inviter' });
  await directory.addOrganizationMember(org.id, inviter.id, true);
  const flow = await directory.createFlow(org.id, 'Main', 'invitation', inviter.id);
  const token = newFlowToken();
  await directory.invitations.invite({ flowId: flow.id, email, message: null, inviterId: inviter.id }, hashFlowToken(token), { to: email, subject: 's', text: 't' });
  return { deps: { directory, bus: new InProcessBus() }, org, flow, inviter, token };
}

test('a newcomer joins the organization as a non-admin member and the flow', async () => {
  const { deps, org, flow, token } = await invited('new@example.test');
  const { user } = await acceptInvitation(deps, token, { password: 'new-password' });
  expect((await deps.directory.organizationMembers(org.id)).find((m) => m.id === user.id)?.admin).toBe(false);
  expect(await deps.directory.flowMemberIds(flow.id)).toContain(user.id);
});

test('an archived flow is refused with 403 naming it, and the link is not used up', async () => {
  const { deps, flow, token } = await invited('late@example.test');
  await deps.directory.updateFlow(flow.id, { disabled: true });
  await expect(acceptInvitation(deps, token, { password: 'late-password' })).rejects.toMatchObject({ status: 403, message: 'the flow is archived: nobody can join it' });
  await deps.directory.updateFlow(flow.id, { disabled: false });
  await expect(acceptInvitation(deps, token, { password: 'late-password' })).resolves.toMatchObject({ user: { email: 'late@example.test' } });
});

test('a blocked invitee stays out: 403, and their block and role are unchanged', async () => {
  const { deps, org, flow, inviter, token } = await invited('inviter@example.test');
  await deps.directory.setFlowMemberDisabled(flow.id, inviter.id, true);
  await expect(acceptInvitation(deps, token, {})).rejects.toMatchObject({ status: 403, message: 'you were blocked from this flow' });
  expect(await deps.directory.flowMemberIds(flow.id)).not.toContain(inviter.id);
  expect((await deps.directory.organizationMembers(org.id))[0]).toMatchObject({ id: inviter.id, admin: true });
});

test('a newcomer picks a nick by the same rule as everywhere: no | (it marks integrations on IRC) or \\ (which IRC folds to |)', async () => {
  const { deps, token } = await invited('picky@example.test');
  for (const nick of ['deploy|ext', 'deploy\\ext', ' spaced ']) {
    await expect(acceptInvitation(deps, token, { password: 'picky-password', nick })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', fields: { nick: [expect.stringContaining('letters, digits')] } });
  }
  await expect(acceptInvitation(deps, token, { password: 'picky-password', nick: 'deploy_bot' })).resolves.toMatchObject({ user: { nick: 'deploy_bot' } });
});
