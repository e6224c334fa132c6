/** Flow lookups through the caller's memberships, and the flow JSON with its per-caller extras. */
import type { Request } from 'express';
import { flowConversation } from '../../core/domain/types';
import { notFound } from '../../core/errors';
import type { FlowView } from '../../core/ports/directory';
import type { WebApiDeps } from '../deps';
import { flowJson, flowUserJson, type UrlBase } from '../serializers/json';

export function urlBase(deps: WebApiDeps, req: Request): UrlBase {
  return { api: deps.options.publicUrl ?? `${req.protocol}://${req.get('host')}` };
}

/** The flow at /flows/:org/:flow as the caller sees it, or 404 (never 403: invisible flows do not exist). */
export async function visibleFlow(deps: WebApiDeps, userId: number, org: string, flow: string): Promise<FlowView> {
  const view = await deps.directory.flowOf(userId, org, flow);
  if (!view) throw notFound('flow');
  return view;
}

/** Like visibleFlow, but the caller must be an active member (to read messages or post). */
export async function memberFlow(deps: WebApiDeps, userId: number, org: string, flow: string): Promise<FlowView> {
  const view = await visibleFlow(deps, userId, org, flow);
  if (!view.membership || view.membership.disabled) throw notFound('flow');
  return view;
}

export async function flowUsersJson(deps: WebApiDeps, flowId: string) {
  const [users, activity] = await Promise.all([deps.directory.flowUsers(flowId), deps.presence.lastActivity(flowId)]);
  return users.map((u) => flowUserJson(u, activity.get(u.id)));
}

export async function presentFlow(deps: WebApiDeps, req: Request, view: FlowView, userId: number, withUsers: boolean) {
  const [unreadMentions, users, org] = await Promise.all([
    deps.store.countTagged(flowConversation(view.flow.id), `:unread:${userId}`),
    withUsers ? flowUsersJson(deps, view.flow.id) : Promise.resolve(undefined),
    deps.directory.organizationByIdOf(userId, view.organization.id),
  ]);
  return flowJson(view, { unreadMentions, userCount: org?.userCount ?? 0, ...(users ? { users } : {}) }, urlBase(deps, req));
}
