/**
 * inviteToFlow and importInvitations: `POST …/invitations` and `…/invitations/import` (spec §2.7).
 * A member invites an address; the invitation's link (a random token, only its hash stored) is
 * mailed to it through the outbox — enqueued with the invitation, sent by the integration workers
 * whenever the relay takes it — and lets the invitee set a password and join (acceptInvitation).
 */
import { hashFlowToken, newFlowToken } from '../auth/flow-tokens';
import type { Invitation } from '../domain/invitation';
import type { User } from '../domain/types';
import { validationError } from '../errors';
import type { FlowAccess } from '../ports/directory';
import { parseInput } from '../validation';
import { announceJoin } from './announce-membership';
import type { ActionDeps } from './deps';
import { type FlowRef, flowFor } from './flow-ref';
import { addressOf, importInput, invitationInput, listEntries, MAX_IMPORT } from './invitation-inputs';

export type InviteDeps = Pick<ActionDeps, 'directory' | 'bus'>;

/** Where an invitation's link points: `<base>/join/<token>`. */
export const invitationLink = (base: string, token: string): string => `${base}/join/${token}`;

async function inviteOne(deps: InviteDeps, caller: User, view: FlowAccess, email: string, message: string | null, base: string): Promise<Invitation> {
  const token = newFlowToken();
  const where = `${view.organization.name} / ${view.flow.name}`;
  return deps.directory.invitations.invite({ flowId: view.flow.id, email, message, inviterId: caller.id }, hashFlowToken(token), {
    to: email,
    subject: `${caller.name} invited you to ${where}`,
    text: [`${caller.name} invited you to the flow ${where} on Tributary.`, ...(message ? ['', message] : []), '', `Join it here: ${invitationLink(base, token)}`, ''].join('\n'),
  });
}

/** Invites `raw.email` to the flow (again: a resend, same id); 400 for a bad address. */
export async function inviteToFlow(deps: InviteDeps, caller: User, flowRef: FlowRef, raw: unknown, base: string): Promise<{ invitation: Invitation; view: FlowAccess }> {
  const view = await flowFor(deps.directory, caller.id, flowRef, 'add-member');
  const { email, message } = parseInput(invitationInput, raw);
  return { invitation: await inviteOne(deps, caller, view, email, message ?? null, base), view };
}

export interface ImportOutcome {
  view: FlowAccess;
  invitations: Invitation[];
  /** People of the flow's organization, added to the flow at once instead of invited. */
  addedUsers: User[];
  erroneousEmails: string[];
}

/**
 * Invites each address of `raw.list` once (duplicates in any case count once; people already in
 * the flow are skipped; people of the organization are added directly). Entries that are not an
 * address come back in `erroneousEmails`; more than MAX_IMPORT entries is a 400 and changes nothing.
 */
export async function importInvitations(deps: InviteDeps, caller: User, flowRef: FlowRef, raw: unknown, base: string): Promise<ImportOutcome> {
  const view = await flowFor(deps.directory, caller.id, flowRef, 'add-member');
  const { list, message } = parseInput(importInput, raw);
  const entries = listEntries(list);
  if (entries.length > MAX_IMPORT) throw validationError({ list: [`names ${entries.length} addresses; at most ${MAX_IMPORT} per import`] });
  if (entries.length === 0) throw validationError({ list: ["can't be blank"] });
  const outcome: ImportOutcome = { view, invitations: [], addedUsers: [], erroneousEmails: [] };
  const addresses = new Map<string, string>();
  for (const entry of entries) {
    const address = addressOf(entry);
    if (address === null) outcome.erroneousEmails.push(entry);
    else if (!addresses.has(address.toLowerCase())) addresses.set(address.toLowerCase(), address);
  }
  const orgMembers = new Map((await deps.directory.organizationMembers(view.organization.id)).map((m) => [m.email.toLowerCase(), m]));
  const inFlow = new Set(await deps.directory.flowMemberIds(view.flow.id));
  for (const [lower, address] of addresses) {
    const member = orgMembers.get(lower);
    if (member && inFlow.has(member.id)) continue;
    if (member) {
      await deps.directory.addFlowMember(view.flow.id, member.id);
      await announceJoin(deps, view.flow, view.organization, member);
      outcome.addedUsers.push(member);
    } else outcome.invitations.push(await inviteOne(deps, caller, view, address, message ?? null, base));
  }
  return outcome;
}
