/**
 * InvitationStore: the invitations of flows (spec §2.7) and the hash of each one's link token
 * (core/auth/flow-tokens.ts makes and hashes it; the store never sees the token). Every
 * implementation passes core/contracts/directory-invitations.contract.ts.
 */
import type { Invitation, NewInvitation } from '../domain/invitation';
import type { OutgoingMail } from './mailer';

export interface InvitationStore {
  /**
   * Invites `email` to the flow with a link whose token hashes to `tokenHash`. A pending invitation
   * of the same flow and address (any case) is renewed instead — same id, the new token and message:
   * inviting again is a resend. `mail` (the link, to the invitee) is enqueued for sending together
   * with the invitation, or neither is kept. Throws NOT_FOUND when the flow or the inviter does not exist.
   */
  invite(input: NewInvitation, tokenHash: string, mail: OutgoingMail): Promise<Invitation>;
  /** The flow's pending invitations, by id. */
  pendingOfFlow(flowId: string): Promise<Invitation[]>;
  /** Invitation `id` of the flow, accepted ones too; null when it is another flow's or unknown. */
  invitationOfFlow(flowId: string, id: number): Promise<Invitation | null>;
  /** The pending invitation whose link token hashes to `tokenHash`; null once accepted or deleted. */
  pendingByTokenHash(tokenHash: string): Promise<Invitation | null>;
  /** Marks it accepted; false when it was not pending (used already, or deleted), so a link works once. */
  accept(id: number): Promise<boolean>;
  /** Deletes a pending invitation of the flow; false when there is none (accepted ones stay). */
  deletePending(flowId: string, id: number): Promise<boolean>;
}
