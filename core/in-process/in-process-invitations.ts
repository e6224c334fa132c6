/** The in-process InvitationStore the InProcessDirectory exposes: invitations in a Map, link tokens by hash. */
import type { Invitation, NewInvitation } from '../domain/invitation';
import { notFound } from '../errors';
import type { InvitationStore } from '../ports/invitation-store';
import type { OutgoingMail } from '../ports/mailer';

export class InProcessInvitations implements InvitationStore {
  private nextId = 1;
  private readonly byId = new Map<number, { invitation: Invitation; tokenHash: string }>();
  /** The invitations' mails, in order: the in-process stand-in for the outbox (nothing sends them). */
  readonly outbox: OutgoingMail[] = [];

  /** `exists` is the directory's own check that the flow and the inviter exist, as Postgres' foreign keys do. */
  constructor(private readonly exists: (flowId: string, userId: number) => Promise<boolean>) {}

  async invite(input: NewInvitation, tokenHash: string, mail: OutgoingMail): Promise<Invitation> {
    if (!(await this.exists(input.flowId, input.inviterId))) throw notFound('flow or inviter');
    this.outbox.push(mail);
    const same = [...this.byId.values()].find(({ invitation: i }) => i.flowId === input.flowId && i.state === 'pending' && i.email.toLowerCase() === input.email.toLowerCase());
    if (same) {
      Object.assign(same.invitation, { message: input.message, inviterId: input.inviterId });
      same.tokenHash = tokenHash;
      return { ...same.invitation };
    }
    const invitation: Invitation = { id: this.nextId++, ...input, state: 'pending', createdAt: new Date(), acceptedAt: null };
    this.byId.set(invitation.id, { invitation, tokenHash });
    return { ...invitation };
  }

  async pendingOfFlow(flowId: string): Promise<Invitation[]> {
    return [...this.byId.values()].map((r) => r.invitation).filter((i) => i.flowId === flowId && i.state === 'pending').map((i) => ({ ...i }));
  }

  async invitationOfFlow(flowId: string, id: number): Promise<Invitation | null> {
    const row = this.byId.get(id);
    return row && row.invitation.flowId === flowId ? { ...row.invitation } : null;
  }

  async pendingByTokenHash(tokenHash: string): Promise<Invitation | null> {
    const row = [...this.byId.values()].find((r) => r.tokenHash === tokenHash && r.invitation.state === 'pending');
    return row ? { ...row.invitation } : null;
  }

  async accept(id: number): Promise<boolean> {
    const row = this.byId.get(id);
    if (row?.invitation.state !== 'pending') return false;
    Object.assign(row.invitation, { state: 'accepted', acceptedAt: new Date() });
    return true;
  }

  async deletePending(flowId: string, id: number): Promise<boolean> {
    const row = this.byId.get(id);
    if (!row || row.invitation.flowId !== flowId || row.invitation.state !== 'pending') return false;
    return this.byId.delete(id);
  }
}
