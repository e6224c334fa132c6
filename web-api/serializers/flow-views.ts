/** Flow reads through the access gate, and the flow JSON with its per-caller extras. */
import type { Request } from 'express';
import { flowConversation } from '../../core/domain/types';
import { requireFlow } from '../../core/access/flow-gate';
import { type FlowAction, isActiveMember } from '../../core/access/flow-policy';
import { unreadIn } from '../../core/messaging/unread';
import type { FlowAccess } from '../../core/ports/directory';
import type { WebApiDeps } from '../deps';
import { flowJson, flowUserJson, type UrlBase } from './json';

export function urlBase(deps: WebApiDeps, req: Request): UrlBase {
  return { api: deps.options.publicUrl ?? `${req.protocol}://${req.get('host')}`, mailDomain: deps.options.mailDomain ?? null };
}

/** The flow at /flows/:org/:flow if the caller may do `action` on it; else 404 (cannot see it) or 403 (the gate decides). */
export function flowAt(deps: WebApiDeps, userId: number, org: string, flow: string, action: FlowAction): Promise<FlowAccess> {
  return requireFlow(deps.directory, userId, { org, flow }, action);
}

export async function flowUsersJson(deps: WebApiDeps, flowId: string) {
  const [users, activity] = await Promise.all([deps.directory.flowUsers(flowId), deps.presence.lastActivity(flowId)]);
  return users.map((u) => flowUserJson(u, activity.get(u.id)));
}

export async function presentFlow(deps: WebApiDeps, req: Request, view: FlowAccess, userId: number, withUsers: boolean) {
  const conversation = flowConversation(view.flow.id);
  // The secret link is shown to the flow's members only (docs/adr/030-join-links.md).
  const showsLink = view.flow.accessMode === 'link' && isActiveMember(view);
  const [unreadMentions, unread, users, org, joinToken] = await Promise.all([
    deps.store.countTagged(conversation, `:unread:${userId}`),
    view.membership?.inFlow ? unreadIn(deps, userId, conversation) : Promise.resolve(undefined),
    withUsers ? flowUsersJson(deps, view.flow.id) : Promise.resolve(undefined),
    deps.directory.organizationByIdOf(userId, view.organization.id),
    showsLink ? deps.directory.joinLinks.tokenOf(view.flow.id) : null,
  ]);
  return flowJson(view, { unreadMentions, ...(unread ? { unread } : {}), userCount: org?.userCount ?? 0, ...(users ? { users } : {}), joinToken }, urlBase(deps, req));
}
