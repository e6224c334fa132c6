/**
 * Joining a link-mode flow through its secret link (`/flows/:org/:flow/join/:token`,
 * docs/adr/030-join-links.md). The token is the credential: whoever is signed in and holds the
 * current link may join, from inside the organization or not. Someone new to the organization
 * joins it as a non-admin member; a member's role never changes.
 */
import { enforce, requireFlow } from '../access/flow-gate';
import { decideJoin, isActiveMember } from '../access/flow-policy';
import { joinTokenMatches } from '../auth/join-link-tokens';
import type { User } from '../domain/types';
import { AppError } from '../errors';
import type { FlowAccess, FlowLocator } from '../ports/directory';
import { announceJoin } from './announce-membership';
import type { ActionDeps } from './deps';

/**
 * The flow whose current link `token` is, with the caller's facts. A wrong, replaced or turned-off
 * link and a flow that does not exist get the same 404 and message, so the answer tells a guesser
 * nothing (the 256-bit token is what keeps the flow closed).
 */
export async function flowOfJoinLink(deps: Pick<ActionDeps, 'directory'>, caller: User, at: FlowLocator, token: string): Promise<FlowAccess> {
  const view = await deps.directory.flowAccess(caller.id, at);
  const current = view?.flow.accessMode === 'link' ? await deps.directory.joinLinks.tokenOf(view.flow.id) : null;
  if (!view || current === null || !joinTokenMatches(token, current)) {
    throw new AppError('NOT_FOUND', 'join link not found: it was turned off or replaced by a newer one, or never existed');
  }
  return view;
}

/** Joins the caller through the link (nothing to do for a member); the same events as every join. */
export async function joinByLink(deps: Pick<ActionDeps, 'directory' | 'bus'>, caller: User, at: FlowLocator, token: string): Promise<FlowAccess> {
  const view = await flowOfJoinLink(deps, caller, at, token);
  if (isActiveMember(view)) return view;
  // Blocked there, or an archived flow: 403 naming which.
  enforce(decideJoin(view.flow, view.membership));
  await deps.directory.joinOrganization(view.organization.id, caller.id);
  await deps.directory.addFlowMember(view.flow.id, caller.id);
  await announceJoin(deps, view.flow, view.organization, caller);
  return requireFlow(deps.directory, caller.id, { id: view.flow.id }, 'see');
}
