/**
 * A flow's join link (`GET/POST/DELETE /flows/:org/:flow/join_url`, docs/adr/030-join-links.md):
 * shown, made or replaced, and turned off by any active member of the flow (as in Flowdock). The
 * secret link exists on link-mode flows only; an organization-mode flow's join_url is its mode's.
 */
import { newJoinToken } from '../auth/join-link-tokens';
import type { User } from '../domain/types';
import { AppError } from '../errors';
import { flowUpdateEvent } from '../events/live-events';
import { publishEvent } from '../events/publish';
import type { FlowAccess } from '../ports/directory';
import type { ActionDeps } from './deps';
import { type FlowRef, flowFor } from './flow-ref';

/** The flow and its link's token (null: no secret link, which for an organization-mode flow still leaves its join_url). */
export interface JoinLinkState {
  view: FlowAccess;
  token: string | null;
}

type Deps = Pick<ActionDeps, 'directory'>;
/** Changing the link tells the flow's members (`flow-update`, without the link: a member's app reads it again). */
type ChangeDeps = Pick<ActionDeps, 'directory' | 'bus'>;

/**
 * The `flow-update` of a link change, with the flow read again after the write: the copy read before
 * it may predate a rename or an archiving, which an older name or state in this event would undo in
 * members' apps.
 */
async function announceLinkChange(deps: ChangeDeps, caller: User, flowId: string): Promise<void> {
  const now = await deps.directory.flowAccess(caller.id, { id: flowId });
  if (now) await publishEvent(deps.bus, flowUpdateEvent(now.flow, caller.id, Date.now()));
}

const notLinkMode = (accessMode: string): AppError =>
  new AppError('CONFLICT', `join links are for link-mode flows, and this flow's access_mode is ${accessMode}: set access_mode to link first`);

/** The flow's link, for its members; 404 to everyone else. */
export async function showJoinLink(deps: Deps, caller: User, flowRef: FlowRef): Promise<JoinLinkState> {
  const view = await flowFor(deps.directory, caller.id, flowRef, 'share-link');
  return { view, token: view.flow.accessMode === 'link' ? await deps.directory.joinLinks.tokenOf(view.flow.id) : null };
}

/** Makes the link, or replaces it: the old one stops working at once. 409 unless the flow is in link mode. */
export async function createJoinLink(deps: ChangeDeps, caller: User, flowRef: FlowRef): Promise<JoinLinkState> {
  const view = await flowFor(deps.directory, caller.id, flowRef, 'share-link');
  if (view.flow.accessMode !== 'link') throw notLinkMode(view.flow.accessMode);
  const token = newJoinToken();
  // False when the mode changed since the flow was read: the store keeps links of link-mode flows only.
  if (!(await deps.directory.joinLinks.replace(view.flow.id, token, caller.id))) throw notLinkMode('no longer link');
  await announceLinkChange(deps, caller, view.flow.id);
  return { view, token };
}

/** Turns the secret link off (nothing to do when there is none). 409 on an organization-mode flow, whose join_url goes with its mode. */
export async function removeJoinLink(deps: ChangeDeps, caller: User, flowRef: FlowRef): Promise<void> {
  const view = await flowFor(deps.directory, caller.id, flowRef, 'share-link');
  if (view.flow.accessMode === 'organization') throw new AppError('CONFLICT', "an organization-mode flow's join_url is turned off by changing its access_mode");
  if (await deps.directory.joinLinks.remove(view.flow.id)) await announceLinkChange(deps, caller, view.flow.id);
}
