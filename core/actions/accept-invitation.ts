/**
 * An invitation's link (`/join/:token`): what it invites to, and accepting it. Accepting makes the
 * invitee's account (with the password they set) unless their address has one already, adds them
 * to the organization and the flow, and uses the link up. The token is the only credential: it
 * came to the invitee's mailbox, as a password reset's would.
 */
import { z } from 'zod';
import { enforce } from '../access/flow-gate';
import { decideJoin } from '../access/flow-policy';
import { NO_USER } from '../access/source-gate';
import { hashFlowToken, looksLikeFlowToken } from '../auth/flow-tokens';
import type { Invitation } from '../domain/invitation';
import type { Flow, Organization, User } from '../domain/types';
import { notFound } from '../errors';
import { parseInput } from '../validation';
import { announceJoin } from './announce-membership';
import type { ActionDeps } from './deps';
import { nick } from './inputs';

const PASSWORD_RULE = 'at least 8 and at most 1024 characters';
const newAccount = z.object({
  password: z.string({ error: `can't be blank: choose a password of ${PASSWORD_RULE}` }).min(8, `must be ${PASSWORD_RULE}`).max(1024, `must be ${PASSWORD_RULE}`),
  name: z.string().trim().min(1).max(100).optional(),
  nick: nick.optional(),
});

export interface InvitationTarget {
  invitation: Invitation;
  flow: Flow;
  organization: Organization;
  /** The account the address has already; null when accepting makes one (and needs a password). */
  existingUser: User | null;
}

/** The pending invitation of `token` and what it invites to; 404 for a token used up, deleted or never made. */
export async function invitationByToken(deps: Pick<ActionDeps, 'directory'>, token: string): Promise<InvitationTarget> {
  const missing = notFound('invitation (the link was used already, withdrawn, or never existed)');
  if (!looksLikeFlowToken(token)) throw missing;
  const invitation = await deps.directory.invitations.pendingByTokenHash(hashFlowToken(token));
  // The invitee is no member yet: the flow is looked up as nobody, as the source gate does for a token.
  const view = invitation && (await deps.directory.flowAccess(NO_USER, { id: invitation.flowId }));
  if (!invitation || !view) throw missing;
  return { invitation, flow: view.flow, organization: view.organization, existingUser: await deps.directory.userByEmail(invitation.email) };
}

/** Accepts the invitation of `token`: the invitee's user, now in the flow. 404 once used; 400 for a bad password; 403 (the link kept) for an archived flow or a blocked invitee. */
export async function acceptInvitation(deps: Pick<ActionDeps, 'directory' | 'bus'>, token: string, raw: unknown): Promise<{ user: User; target: InvitationTarget }> {
  const target = await invitationByToken(deps, token);
  const { flow, organization } = target;
  // Validated before the link is used up, so that a bad password can be corrected.
  const account = target.existingUser ? null : parseInput(newAccount, raw);
  const mine = target.existingUser && (await deps.directory.flowAccess(target.existingUser.id, { id: flow.id }));
  enforce(decideJoin(flow, mine ? mine.membership : null));
  if (!(await deps.directory.invitations.accept(target.invitation.id))) throw notFound('invitation (the link was used already)');
  const user = target.existingUser ?? (await deps.directory.createUser({ email: target.invitation.email, password: account!.password, ...(account!.name ? { name: account!.name } : {}), ...(account!.nick ? { nick: account!.nick } : {}) }));
  await deps.directory.joinOrganization(organization.id, user.id);
  await deps.directory.addFlowMember(flow.id, user.id);
  await announceJoin(deps, flow, organization, user);
  return { user, target };
}
