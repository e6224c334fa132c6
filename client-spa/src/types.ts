/** The API's JSON shapes the app reads (docs/api.md): only the fields it uses. */
// Type-only, erased from the bundle: the server's own shape of a file as messages carry it (docs/api.md, "Files").
import type { Attachment } from '../../core/files/attachment';
// Type-only too: the server's own shape of a thread's state, as messages and GET /threads/:id carry it.
import type { ThreadState } from '../../core/domain/types';

export type { Attachment };

export interface User {
  id: number;
  email: string;
  name: string;
  nick: string;
}

export interface Flow {
  id: string;
  name: string;
  parameterized_name: string;
  organization: { name: string; parameterized_name: string };
  unread_mentions: number;
  /** Tributary's read marker (docs/api.md, "Read markers"): chat messages by others after it, at most 100; absent from servers without it. */
  unread_count?: number;
  /** The id of the last message the caller has read in the flow (null: never marked). */
  last_read_id?: number | null;
  /** The flow's newest event when `unread_count` was counted (0: none yet): a subscription resumed from it delivers exactly what the count does not hold. */
  unread_through_id?: number;
  /** With `?users=1`: members, with when each was last active (ms; 0: never). */
  users?: (User & { last_activity?: number })[];
  /** Archived: readable, closed to posts. */
  disabled?: boolean;
  /** The app's own count of the live updates applied to this copy (not from the API): views that read more of the flow read again when it changes. */
  revision?: number;
}

/** What the live connection reports of the user's flows: `updated` carries what the list shows. */
export type FlowChange =
  | { kind: 'added'; flowId: string }
  | { kind: 'removed'; flowId: string }
  | { kind: 'updated'; flowId: string; name: string; disabled: boolean };

/** A stored event of a flow or a private conversation (messages and the edits of them); `id` is dense and increasing per conversation. */
export interface FlowEvent {
  id: number;
  event: string;
  content: unknown;
  /** The flow's id; absent in a private conversation. */
  flow?: string;
  /** A private message's recipient (user id). */
  to?: string;
  user: string;
  uuid: string | null;
  sent: number;
  /** Hashtags without `#`, and system tags (`:user:<id>`, `:url`…). */
  tags?: string[];
  /** The thread it belongs to: every chat message starts its own, a reply joins its parent's (docs/api.md, "Threads"). */
  thread_id?: string;
  /** The thread's state as of this event. */
  thread?: Thread;
  /** An integration item's (`activity`, `discussion`) headline: text, never markup. */
  title?: string;
  /** An integration item's HTML body: the app shows its text only. */
  body?: string;
  author?: { name: string };
}

/** A thread's state (docs/api.md, "Threads"): integrations set the status, fields, actions and source. */
export type Thread = ThreadState;

/** What the message list shows: a chat message, stored or still on its way (`pending`). */
export interface ChatMessage {
  /** Absent while pending. */
  id?: number;
  uuid: string;
  user: string;
  text: string;
  sent: number;
  edited?: boolean;
  tags?: readonly string[];
  pending?: boolean;
  /** Pending and waiting for the connection: it will be sent again by itself. */
  queued?: boolean;
  failed?: string;
  /** An `event: "file"` message's attachment. */
  file?: Attachment;
  /** Its thread (stored messages: every chat message has one). */
  threadId?: string;
  /** Set when it is a reply in another message's thread: that thread's title. */
  replyIn?: string;
}

/** `org/flow`, the path the API and the app's URLs name a flow by. */
export const flowPath = (flow: Flow): string => `${flow.organization.parameterized_name}/${flow.parameterized_name}`;

/** A flow or a private conversation, as the app shows and addresses it. */
export interface Conversation {
  /** Its log's key: the flow id, or `private:<other user's id>`. */
  key: string;
  title: string;
  subtitle: string;
  /** The REST collection it lives under: `/flows/org/flow` or `/private/<id>`. */
  base: string;
  /** Set for flows: typing and editing go through the flow. */
  flowId?: string;
  /** An archived flow: its history is shown, its composer is not. */
  archived?: boolean;
  /** The flow's `revision`: changes when a live update of the flow was applied. */
  revision?: number;
  /** The people whose messages it shows, by user id. */
  members: ReadonlyMap<string, User>;
}

export const privateKey = (userId: string | number): string => `private:${userId}`;
