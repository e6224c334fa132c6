/** Builders of the live events: presence, typing and membership changes, never stored, so they carry no id. */
import type { Flow, Organization, User } from '../domain/types';
import type {
  ActivityUserEvent,
  FlowAddEvent,
  FlowRemoveEvent,
  FlowSummary,
  FlowUpdateEvent,
  LiveEventHead,
  TypingEvent,
  UserBlockEvent,
  UserEditEvent,
  UserJoinEvent,
  UserSummary,
} from './event-types';

/** The head every live event shares, so that clients parse it like any message (spec §3). */
function head(userId: number, now: number): LiveEventHead {
  return { user: String(userId), sent: now, tags: [], uuid: null, attachments: [], app: null };
}

/** `activity.user` and `idle` (spec §3: `last_activity` "may be absent when idle"). */
export type PresenceState = 'active' | 'idle';

export function userSummary(u: User): UserSummary {
  return { id: u.id, nick: u.nick, name: u.name, email: u.email, avatar: u.avatar ?? '' };
}

export function flowSummary(flow: Flow): FlowSummary {
  return { id: flow.id, name: flow.name, parameterized_name: flow.parameterizedName, access_mode: flow.accessMode, disabled: flow.disabled };
}

/** `activity.user`: `userId` is active (with `last_activity`) or idle (without) in the flow. */
export function activityUserEvent(flowId: string, userId: number, state: PresenceState, now: number): ActivityUserEvent {
  return { event: 'activity.user', content: state === 'active' ? { last_activity: now } : {}, ...head(userId, now), flow: flowId };
}

/** `typing`: someone is typing in the flow. */
export function typingEvent(flowId: string, userId: number, now: number): TypingEvent {
  return { event: 'typing', content: null, ...head(userId, now), flow: flowId };
}

/** `flow-add`: `user` gained the flow (joined, was added or unblocked); no `flow` field (spec §3). */
export function flowAddEvent(flow: Flow, organization: Organization, user: User, now: number): FlowAddEvent {
  const org = { id: organization.id, name: organization.name, parameterized_name: organization.parameterizedName };
  return { event: 'flow-add', content: { ...flowSummary(flow), organization: org, open: true }, ...head(user.id, now) };
}

/** `flow-remove`: `userId` lost the flow; no `flow` field, as for `flow-add`. */
export function flowRemoveEvent(userId: number, flowId: string, now: number): FlowRemoveEvent {
  return { event: 'flow-remove', content: { id: flowId }, ...head(userId, now) };
}

/** `flow-update` (Tributary's own): `userId` renamed the flow, changed its access mode or join link, or (un)archived it. */
export function flowUpdateEvent(flow: Flow, userId: number, now: number): FlowUpdateEvent {
  return { event: 'flow-update', content: flowSummary(flow), ...head(userId, now), flow: flow.id };
}

/** `backend.user.join`: `user` joined the flow. */
export function userJoinEvent(flowId: string, user: User, now: number): UserJoinEvent {
  return { event: 'backend.user.join', content: { user: userSummary(user) }, ...head(user.id, now), flow: flowId };
}

/** `backend.user.block`: `userId` was blocked in (or removed with the organization from) the flow. */
export function userBlockEvent(flowId: string, userId: number, now: number): UserBlockEvent {
  return { event: 'backend.user.block', content: userId, ...head(userId, now), flow: flowId };
}

/** `user-edit`: `user` changed their nick, name or email; one per flow they read. */
export function userEditEvent(flowId: string, user: User, now: number): UserEditEvent {
  return { event: 'user-edit', content: { user: userSummary(user) }, ...head(user.id, now), flow: flowId };
}
