/** An invitation to a flow (spec §2.7): an email address asked to join, pending until its link is used. */
export type InvitationState = 'pending' | 'accepted';

export interface Invitation {
  id: number;
  flowId: string;
  /** As given, trimmed; matched case-insensitively. */
  email: string;
  state: InvitationState;
  message: string | null;
  inviterId: number | null;
  createdAt: Date;
  acceptedAt: Date | null;
}

export interface NewInvitation {
  flowId: string;
  email: string;
  message: string | null;
  inviterId: number;
}
