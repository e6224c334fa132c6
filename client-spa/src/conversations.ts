/** Flows and private conversations as one kind of thing for the views, and which one an event belongs to. Pure; unit-tested. */
import type { Route } from './route';
import { type Conversation, type Flow, type FlowEvent, flowPath, privateKey, type User } from './types';

const byId = (users: readonly User[]): Map<string, User> => new Map(users.map((u) => [String(u.id), u]));

export function flowConversation(flow: Flow): Conversation {
  return { key: flow.id, title: flow.name, subtitle: flow.organization.name, base: `/flows/${flowPath(flow)}`, flowId: flow.id, members: byId(flow.users ?? []), ...(flow.disabled ? { archived: true } : {}), revision: flow.revision ?? 0 };
}

export function privateConversation(me: User, other: User): Conversation {
  return { key: privateKey(other.id), title: other.nick, subtitle: `${other.name} · private`, base: `/private/${other.id}`, members: byId([me, other]) };
}

/** The conversation a route shows, or null (unknown, not visible, or not loaded yet). */
export function conversationAt(route: Route, flows: readonly Flow[], people: readonly User[], me: User): Conversation | null {
  if (route.page === 'flow') {
    const flow = flows.find((f) => flowPath(f) === route.path);
    return flow ? flowConversation(flow) : null;
  }
  if (route.page === 'private') {
    const other = people.find((u) => String(u.id) === route.userId);
    return other ? privateConversation(me, other) : null;
  }
  return null;
}

/** The key of the conversation an event belongs to: its flow, or the private conversation with the other person. */
export function conversationKeyOf(event: FlowEvent, meId: string): string | null {
  if (event.flow) return event.flow;
  if (event.to === undefined) return null;
  return privateKey(event.user === meId ? event.to : event.user);
}
