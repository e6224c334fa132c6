/** Flow reads through the access gate, and the flow JSON with its per-caller extras. */
import type { Request } from 'express';
import { flowConversation } from '../../core/domain/types';
import { requireFlow } from '../../core/access/flow-gate';
import type { FlowAction } from '../../core/access/flow-policy';
import { unreadIn } from '../../core/messaging/unread';
import type { FlowAccess, FlowView } from '../../core/ports/directory';
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

export async function presentFlow(deps: WebApiDeps, req: Request, view: FlowView, userId: number, withUsers: boolean) {
  const conversation = flowConversation(view.flow.id);
  const [unreadMentions, unread, users, org] = await Promise.all([
    deps.store.countTagged(conversation, `:unread:${userId}`),
    view.membership?.inFlow ? unreadIn(deps, userId, conversation) : Promise.resolve(undefined),
    withUsers ? flowUsersJson(deps, view.flow.id) : Promise.resolve(undefined),
    deps.directory.organizationByIdOf(userId, view.organization.id),
  ]);
  return flowJson(view, { unreadMentions, ...(unread ? { unread } : {}), userCount: org?.userCount ?? 0, ...(users ? { users } : {}) }, urlBase(deps, req));
}
