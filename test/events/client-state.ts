/**
 * A client's view of Tributary for the `verify_action`-style test: fetched over REST, or kept up
 * to date by applying the events it receives (a deliberately small reducer, as a client would).
 */
import { api, type SeededUser, type TestStack } from '../support/stack';

type Json = Record<string, unknown>;

interface MessageView {
  event: unknown;
  content: unknown;
  /** Tags compare case-insensitively and unordered (spec §2.9), so kept as a sorted lowercase set. */
  tags: string[];
  user: unknown;
  thread_id: unknown;
  edited: boolean;
}

interface MemberView {
  nick: unknown;
  name: unknown;
  email: unknown;
  last_activity: number;
}

/** What the client shows: its flows, one flow's active members and messages, one private conversation. */
export interface ClientState {
  flows: Record<string, { name: unknown; parameterized_name: unknown; access_mode: unknown; disabled: unknown }>;
  members: Record<string, MemberView>;
  messages: Record<string, MessageView>;
  privateMessages: Record<string, MessageView>;
}

const tagSet = (tags: unknown): string[] => [...new Set((tags as string[]).map((t) => t.toLowerCase()))].sort();

function messageView(m: Json): MessageView {
  return { event: m.event, content: m.content, tags: tagSet(m.tags), user: m.user, thread_id: m.thread_id ?? null, edited: m.edited !== null && m.edited !== undefined };
}

function memberView(u: Json): MemberView {
  return { nick: u.nick, name: u.name, email: u.email, last_activity: Number(u.last_activity ?? 0) };
}

/** The client's state as REST shows it now, seen by `me`, for flow `flowPath` and the private conversation with `peerId`. */
export async function fetchState(s: TestStack, me: SeededUser, flowPath: string, peerId: number): Promise<ClientState> {
  const get = async (path: string) => {
    const res = await api(s, 'GET', path, { auth: me.auth });
    expect(res.status).toBe(200);
    return res.body as Json[];
  };
  const [flows, users, messages, privateMessages] = await Promise.all([
    get('/flows'),
    get(`/flows/${flowPath}/users`),
    get(`/flows/${flowPath}/messages?limit=100`),
    get(`/private/${peerId}/messages?limit=100`),
  ]);
  return {
    flows: Object.fromEntries(flows.map((f) => [f.id, { name: f.name, parameterized_name: f.parameterized_name, access_mode: f.access_mode, disabled: f.disabled }])),
    members: Object.fromEntries(users.filter((u) => !u.disabled && u.in_flow).map((u) => [String(u.id), memberView(u)])),
    messages: Object.fromEntries(messages.map((m) => [String(m.id), messageView(m)])),
    privateMessages: Object.fromEntries(privateMessages.map((m) => [String(m.id), messageView(m)])),
  };
}

/** Applies one received event to the state, as a client would; events the state does not show change nothing. */
export function applyEvent(state: ClientState, e: Json): void {
  const content = e.content as Json;
  if (typeof e.id === 'number') {
    const list = e.flow === undefined ? state.privateMessages : state.messages;
    const target = list[String(content?.message)];
    if (e.event === 'message-edit' && target) Object.assign(target, { content: content.updated_content, edited: true });
    if (e.event === 'tag-change' && target) {
      const removed = new Set(tagSet(content.remove));
      target.tags = tagSet([...target.tags.filter((t) => !removed.has(t)), ...(content.add as string[])]);
    }
    list[String(e.id)] = messageView(e);
    return;
  }
  switch (e.event) {
    case 'flow-add':
    case 'flow-update': {
      const { id, name, parameterized_name, access_mode, disabled } = content;
      if (e.event === 'flow-add' || state.flows[id as string]) state.flows[id as string] = { name, parameterized_name, access_mode, disabled };
      return;
    }
    case 'flow-remove':
      delete state.flows[content.id as string];
      return;
    case 'backend.user.join':
      state.members[String((content.user as Json).id)] = memberView(content.user as Json);
      return;
    case 'backend.user.block':
      delete state.members[String(e.content)];
      return;
    case 'user-edit': {
      const user = content.user as Json;
      const member = state.members[String(user.id)];
      if (member) Object.assign(member, { nick: user.nick, name: user.name, email: user.email });
      return;
    }
    case 'activity.user': {
      const member = state.members[e.user as string];
      if (member && typeof content.last_activity === 'number') member.last_activity = content.last_activity;
      return;
    }
  }
}
