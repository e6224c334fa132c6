/**
 * Live, unstored events about memberships (spec §3, §6): hubot re-reads its flows when it sees
 * `flow-add`, `flow-remove`, `backend.user.join` or `backend.user.block` about itself. `flow-remove`
 * is written by the streaming nodes when they apply an access revocation (core/access/revocation.ts).
 */
import type { Flow, Organization, User } from '../../core/domain/types';
import { flowChannel, userChannel } from '../../core/messaging/channels';
import { revokeAccess } from '../../core/access/revocation';
import type { Bus } from '../../core/ports/bus';
import type { Presence } from '../../core/ports/presence';

/** Losing access also drops presence, so announcing it needs both. */
export interface AnnounceDeps {
  bus: Bus;
  presence: Presence;
}

function event(name: string, user: string, content: unknown, flow?: string) {
  return JSON.stringify({ event: name, content, user, ...(flow ? { flow } : {}), sent: Date.now(), tags: [], uuid: null, attachments: [], app: null });
}

const userSummary = (u: User) => ({ id: u.id, nick: u.nick, name: u.name, email: u.email, avatar: u.avatar ?? '' });

/** `user` joined `flow`: `flow-add` on the user's channel, `backend.user.join` on the flow's. */
export async function announceJoin(bus: Bus, flow: Flow, organization: Organization, user: User): Promise<void> {
  const flowLike = { id: flow.id, name: flow.name, parameterized_name: flow.parameterizedName, organization: { id: organization.id, name: organization.name, parameterized_name: organization.parameterizedName }, open: true };
  await Promise.all([
    bus.publish(userChannel(user.id), event('flow-add', String(user.id), flowLike)),
    bus.publish(flowChannel(flow.id), event('backend.user.join', String(user.id), { user: userSummary(user) }, flow.id)),
  ]);
}

/**
 * `userId` was blocked in `flow`: their live connections are cut from it first (each gets
 * `flow-remove`, then nothing more of the flow), then the flow's readers get `backend.user.block`.
 */
export async function announceBlock(deps: AnnounceDeps, flow: Flow, userId: number): Promise<void> {
  await revokeAccess(deps, { userId, flowIds: [flow.id] });
  await deps.bus.publish(flowChannel(flow.id), event('backend.user.block', String(userId), userId, flow.id));
}

/**
 * `userId` was removed from an organization and so lost `flowIds` (their flows there): cut like a
 * block in each, and `backend.user.block` on each so that the others' clients drop them.
 */
export async function announceOrganizationRemoval(deps: AnnounceDeps, userId: number, flowIds: string[]): Promise<void> {
  await revokeAccess(deps, { userId, flowIds });
  await Promise.all(flowIds.map((id) => deps.bus.publish(flowChannel(id), event('backend.user.block', String(userId), userId, id))));
}

/** A user changed their nick, name or email: `user-edit` once per flow they are in. */
export async function announceUserEdit(bus: Bus, flowIds: string[], user: User): Promise<void> {
  await Promise.all(flowIds.map((id) => bus.publish(flowChannel(id), event('user-edit', String(user.id), { user: userSummary(user) }, id))));
}
