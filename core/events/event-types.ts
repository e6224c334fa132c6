/**
 * The event catalogue as types: every event Tributary emits, stored or live, and the control
 * message its nodes exchange, as one union discriminated by `event` (docs/subsystems/events.md).
 */
import type { MessageJson } from '../domain/types';

/**
 * The event types a client may post (REST `POST …/messages`, WebSocket `post`). Every other
 * event is produced by Tributary itself; clients must ignore types they do not know.
 */
export const POSTABLE_EVENTS = ['message', 'status', 'comment', 'action', 'line', 'file', 'activity', 'discussion'] as const;
export type PostableEventType = (typeof POSTABLE_EVENTS)[number];

/** A posted message as stored and published (spec §3): numbered per conversation. */
export interface PostedMessage extends MessageJson {
  event: PostableEventType;
}

/** What a team inbox item shows (Flowdock's legacy `mail` event): the v1 push's fields, as Flowdock stored them. */
export interface InboxItemContent {
  source: string;
  project: string | null;
  subject: string;
  /** HTML, as pushed. */
  content: string;
  from: { address: string; name: string | null }[];
  replyTo: { address: string }[];
  link: string | null;
  format: 'html';
}

/** A team inbox item pushed with `POST /v1/messages/team_inbox/:token` (spec §5): `user` "0", `app` "influx". */
export interface InboxItemEvent extends MessageJson {
  event: 'mail';
  content: InboxItemContent;
}

/** A stored message's content changed (`deleted: true` when its author deleted it). */
export interface MessageEditEvent extends MessageJson {
  event: 'message-edit';
  content: { message: number; updated_content: unknown; deleted?: true };
}

/** A stored message's tag list changed. */
export interface TagChangeEvent extends MessageJson {
  event: 'tag-change';
  content: { message: number; add: string[]; remove: string[] };
}

/** Events the message backend stores before it publishes them: they carry a per-conversation `id`. */
export type StoredEvent = PostedMessage | InboxItemEvent | MessageEditEvent | TagChangeEvent;

/** What every live (unstored, id-less) event carries, so that clients parse it like a message. */
export interface LiveEventHead {
  /** The user the event is about (string id). */
  user: string;
  sent: number;
  tags: string[];
  uuid: null;
  attachments: unknown[];
  app: null;
}

/** A user as membership and user events show them. */
export interface UserSummary {
  id: number;
  nick: string;
  name: string;
  email: string;
  avatar: string;
}

/** A flow as `flow-add` and `flow-update` show it (a subset of the REST flow JSON). */
export interface FlowSummary {
  id: string;
  name: string;
  parameterized_name: string;
  access_mode: string;
  disabled: boolean;
}

export interface ActivityUserEvent extends LiveEventHead {
  event: 'activity.user';
  flow: string;
  /** `last_activity` is absent for an idle user (spec §3). */
  content: { last_activity?: number };
}

export interface TypingEvent extends LiveEventHead {
  event: 'typing';
  flow: string;
  content: null;
}

export interface FlowAddEvent extends LiveEventHead {
  event: 'flow-add';
  content: FlowSummary & { organization: { id: number; name: string; parameterized_name: string }; open: boolean };
}

export interface FlowRemoveEvent extends LiveEventHead {
  event: 'flow-remove';
  content: { id: string };
}

export interface FlowUpdateEvent extends LiveEventHead {
  event: 'flow-update';
  flow: string;
  content: FlowSummary;
}

export interface UserJoinEvent extends LiveEventHead {
  event: 'backend.user.join';
  flow: string;
  content: { user: UserSummary };
}

export interface UserBlockEvent extends LiveEventHead {
  event: 'backend.user.block';
  flow: string;
  /** The blocked user's id. */
  content: number;
}

export interface UserEditEvent extends LiveEventHead {
  event: 'user-edit';
  flow: string;
  content: { user: UserSummary };
}

/** Events published as they happen and never stored: no `id`, no replay after a reconnect. */
export type LiveEvent = ActivityUserEvent | TypingEvent | FlowAddEvent | FlowRemoveEvent | FlowUpdateEvent | UserJoinEvent | UserBlockEvent | UserEditEvent;

/** Node-to-node: `userId` may no longer read `flowIds` (ADR 006). Never delivered to a client. */
export interface AccessRevokedMessage {
  event: 'access-revoked';
  userId: number;
  flowIds: string[];
}

/** Every event Tributary emits. */
export type TributaryEvent = StoredEvent | LiveEvent | AccessRevokedMessage;

/**
 * What goes on the bus. `flow-remove` does not: each streaming node writes it itself to the
 * connections it cuts, so that every connection gets it exactly once (ADR 006).
 */
export type PublishedEvent = Exclude<TributaryEvent, FlowRemoveEvent>;
