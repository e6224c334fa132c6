/** Domain objects shared by every service: the shapes the store, the bus and the APIs agree on. */

export type AccessMode = 'invitation' | 'link' | 'organization';

export interface Organization {
  id: number;
  name: string;
  parameterizedName: string;
  createdAt: Date;
}

export interface User {
  id: number;
  email: string;
  name: string;
  nick: string;
  avatar: string | null;
  website: string | null;
  createdAt: Date;
}

export interface Flow {
  id: string;
  organizationId: number;
  name: string;
  parameterizedName: string;
  accessMode: AccessMode;
  disabled: boolean;
  createdAt: Date;
}

/** A user's membership of a flow; `open` is whether the flow is shown as a tab. */
export interface FlowMembership {
  flowId: string;
  userId: number;
  open: boolean;
  disabled: boolean;
  inFlow: boolean;
}

/** Thread state carried on threaded messages and returned by the threads endpoints. */
export interface ThreadState {
  id: string;
  title: string;
  body?: string;
  external_url?: string;
  status?: { value: string; color: string } | null;
  fields?: { label: string; value: string }[];
  /** Links and updates the integration offers on the thread (spec §5): stored and shown, not invoked by Tributary. */
  actions?: ThreadAction[];
  /** The source whose posts made the thread (spec §2.5), set from its flow token, never from input. */
  source?: ThreadSource;
  initial_message: number;
  flow: string | null;
  activities: number;
  internal_comments: number;
  external_comments: number;
  created_at: string;
  updated_at: string;
}

/** A thread action as an integration posts it: `ViewAction` (a link) or `UpdateAction` (an HTTP call). */
export type ThreadAction =
  | { '@type': 'ViewAction'; name: string; url: string; description?: string; image?: string }
  | { '@type': 'UpdateAction'; name: string; target: { '@type': 'EntryPoint'; urlTemplate: string; httpMethod: string } };

/** A thread's `source`: which source it is, by id and name. There are no OAuth applications here, so `application` is null. */
export interface ThreadSource {
  id: number;
  name: string;
  external_url: string | null;
  application: null;
}

/**
 * A message as the API shows it (spec §3). `user` is a string id ("0" for none); `flow` is set
 * for flow messages and `to` for private ones.
 */
export interface MessageJson {
  id: number;
  uuid: string;
  event: string;
  content: unknown;
  tags: string[];
  user: string;
  flow?: string;
  to?: string;
  sent: number;
  created_at: string;
  edited: number | null;
  app: string | null;
  attachments: unknown[];
  thread_id?: string;
  thread?: ThreadState;
  external_user_name?: string;
  title?: string;
  body?: string;
  author?: { name: string; avatar?: string; email?: string };
  /** The source that posted it with its flow token (Tributary's; `user` is then "0"). */
  source_id?: number;
}

/**
 * A conversation is where messages live and are numbered: a flow (key = flow id) or a private
 * 1-to-1 conversation (key = `private:<low user id>:<high user id>`).
 */
export type ConversationKey = string;

export function flowConversation(flowId: string): ConversationKey {
  return flowId;
}

export function privateConversation(userA: number, userB: number): ConversationKey {
  const [low, high] = userA < userB ? [userA, userB] : [userB, userA];
  return `private:${low}:${high}`;
}

export function isPrivateConversation(key: ConversationKey): boolean {
  return key.startsWith('private:');
}

/** The two participants of a private conversation key. */
export function privateParticipants(key: ConversationKey): [number, number] {
  const [, a, b] = key.split(':');
  return [Number(a), Number(b)];
}
