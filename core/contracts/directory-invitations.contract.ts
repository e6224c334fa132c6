/** Directory contract, invitations: invited (a resend renews), listed while pending, found by token hash, accepted once, deleted while pending. */
import { hashFlowToken, newFlowToken } from '../auth/flow-tokens';
import type { DirectoryContext } from './directory.contract';
import { flow, organization, user } from './directory.fixtures';
import type { OutgoingMail } from '../ports/mailer';

const mailTo = (to: string): OutgoingMail => ({ to, subject: 'You are invited', text: 'Join here' });

export function invitationStoreContract(ctx: DirectoryContext): void {
  const d = () => ctx.directory();
  async function world() {
    const org = await organization(d());
    const inviter = await user(d(), 'inviter', [org]);
    const target = await flow(d(), org, 'Flow', 'invitation', [inviter]);
    return { inviter, target };
  }

  it('invites, finds the pending invitation by its token hash, and renews it when the address is invited again', async () => {
    const { inviter, target } = await world();
    const first = hashFlowToken(newFlowToken());
    const made = await d().invitations.invite({ flowId: target.id, email: 'Zed@Example.test', message: 'hi', inviterId: inviter.id }, first, mailTo('Zed@Example.test'));
    expect(made).toMatchObject({ flowId: target.id, email: 'Zed@Example.test', state: 'pending', message: 'hi', inviterId: inviter.id, acceptedAt: null });
    expect(await d().invitations.pendingByTokenHash(first)).toEqual(made);
    const second = hashFlowToken(newFlowToken());
    const again = await d().invitations.invite({ flowId: target.id, email: 'zed@example.test', message: null, inviterId: inviter.id }, second, mailTo('zed@example.test'));
    expect(again.id).toBe(made.id);
    expect(again.message).toBeNull();
    expect(await d().invitations.pendingByTokenHash(first)).toBeNull();
    expect(await d().invitations.pendingOfFlow(target.id)).toEqual([again]);
  });

  it('accepts once; an accepted invitation is shown but no longer pending, found or deletable', async () => {
    const { inviter, target } = await world();
    const hash = hashFlowToken(newFlowToken());
    const made = await d().invitations.invite({ flowId: target.id, email: 'amy@example.test', message: null, inviterId: inviter.id }, hash, mailTo('amy@example.test'));
    expect(await d().invitations.accept(made.id)).toBe(true);
    expect(await d().invitations.accept(made.id)).toBe(false);
    expect(await d().invitations.pendingByTokenHash(hash)).toBeNull();
    expect(await d().invitations.pendingOfFlow(target.id)).toEqual([]);
    expect(await d().invitations.invitationOfFlow(target.id, made.id)).toMatchObject({ state: 'accepted' });
    expect(await d().invitations.deletePending(target.id, made.id)).toBe(false);
  });

  it('deletes a pending invitation of its own flow only', async () => {
    const { inviter, target } = await world();
    const other = await world();
    const made = await d().invitations.invite({ flowId: target.id, email: 'bo@example.test', message: null, inviterId: inviter.id }, hashFlowToken(newFlowToken()), mailTo('bo@example.test'));
    expect(await d().invitations.invitationOfFlow(other.target.id, made.id)).toBeNull();
    expect(await d().invitations.deletePending(other.target.id, made.id)).toBe(false);
    expect(await d().invitations.deletePending(target.id, made.id)).toBe(true);
    expect(await d().invitations.invitationOfFlow(target.id, made.id)).toBeNull();
  });

  it('refuses an unknown flow', async () => {
    const { inviter } = await world();
    await expect(d().invitations.invite({ flowId: 'no-such-flow', email: 'x@example.test', message: null, inviterId: inviter.id }, hashFlowToken(newFlowToken()), mailTo('x@example.test'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
}
