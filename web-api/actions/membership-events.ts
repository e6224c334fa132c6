/**
 * Live, unstored events about memberships (spec §3, §6): hubot re-reads its flows when it sees
 * `flow-add`, `flow-remove`, `backend.user.join` or `backend.user.block` about itself.
 */
import type { Flow, Organization, User } from '../../core/domain/types';
import { flowChannel, userChannel } from '../../core/messaging/channels';
import type { Bus } from '../../core/ports/bus';

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

/** `userId` was blocked in (or left) `flow`. */
export async function announceBlock(bus: Bus, flow: Flow, userId: number): Promise<void> {
  await Promise.all([
    bus.publish(flowChannel(flow.id), event('backend.user.block', String(userId), userId, flow.id)),
    bus.publish(userChannel(userId), event('flow-remove', String(userId), { id: flow.id })),
  ]);
}

/** A user changed their nick, name or email: `user-edit` once per flow they are in. */
export async function announceUserEdit(bus: Bus, flowIds: string[], user: User): Promise<void> {
  await Promise.all(flowIds.map((id) => bus.publish(flowChannel(id), event('user-edit', String(user.id), { user: userSummary(user) }, id))));
}
