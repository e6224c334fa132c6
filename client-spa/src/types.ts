/** The API's JSON shapes the app reads (docs/api.md): only the fields it uses. */

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
  users?: User[];
}

/** A stored event of a flow (messages and the edits of them); `id` is dense and increasing per flow. */
export interface FlowEvent {
  id: number;
  event: string;
  content: unknown;
  flow: string;
  user: string;
  uuid: string | null;
  sent: number;
}

/** What the message list shows: a chat message, stored or still on its way (`pending`). */
export interface ChatMessage {
  /** Absent while pending. */
  id?: number;
  uuid: string;
  user: string;
  text: string;
  sent: number;
  edited?: boolean;
  pending?: boolean;
  /** Pending and waiting for the connection: it will be sent again by itself. */
  queued?: boolean;
  failed?: string;
}

/** `org/flow`, the path the API and the app's URLs name a flow by. */
export const flowPath = (flow: Flow): string => `${flow.organization.parameterized_name}/${flow.parameterized_name}`;
