/**
 * Tributary events as IRC lines, as oulu mapped them (spec §7): messages as PRIVMSG (thread replies
 * and comments prefixed with the thread title), statuses and `line` as ACTION, edits marked,
 * joins/blocks/renames as JOIN/PART/NICK, inbox items as NOTICE. Pure but for the session view it reads.
 */

import { EXTERNAL_SENDER_MARK } from '../../core/messaging/external-sender';
import { formatLine, lineSafe, MAX_LINE_BYTES } from './irc-line';
import { ircNick, type NickMap } from './irc-names';

/** What rendering needs to know of the session, and the few things an event changes in it. */
export interface SessionView {
  readonly serverName: string;
  readonly me: { id: number; nick: string };
  readonly nicks: NickMap;
  /** Capabilities the client enabled. */
  has(cap: 'server-time' | 'message-tags' | 'echo-message'): boolean;
  /** The channel of a flow the client is on (or was just cut from); undefined otherwise. */
  channelOf(flowId: string): string | undefined;
  /** True (once) for the uuid of a message this session itself posted. */
  postedHere(uuid: string): boolean;
  /** A flow-add of the client's own: the session joins it if it is open. */
  flowAdded(flowId: string, open: boolean): void;
  /** A flow-remove was rendered: the flow is gone for good. */
  flowRemoved(flowId: string): void;
  /** A flow-update: its new topic, if the client is on the flow and the name changed (undefined otherwise). */
  retitle(flowId: string, flowName: string): string | undefined;
}

/** An event as it arrives (JSON of the catalogue, core/events/event-types.ts); only the fields read here are typed. */
export interface EventJson {
  event: string;
  id?: number;
  uuid?: string | null;
  user?: string;
  flow?: string;
  to?: string;
  sent?: number;
  content?: unknown;
  thread?: { title?: string; initial_message?: number };
  external_user_name?: string;
  title?: string;
}

const INBOX_SOURCE = 'Tributary!inbox@tributary';
const EDIT_MARK = '(edited) ';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  const c = record(content);
  if (typeof c.text === 'string') return c.text;
  if (typeof c.file_name === 'string') return `[file] ${c.file_name}`;
  return '';
}

/** The `nick!user@host` of a sender; anonymous (integration) senders show as their external_user_name, marked. */
function sourceOf(view: SessionView, e: EventJson): string {
  const userId = Number(e.user);
  if (!userId && e.external_user_name) return `${ircNick(e.external_user_name)}${EXTERNAL_SENDER_MARK}!external@tributary`;
  return hostmask(view, userId);
}

export function hostmask(view: SessionView, userId: number): string {
  const nick = userId === view.me.id ? view.me.nick : (view.nicks.nickOf(userId) ?? `user${userId}`);
  return `${nick}!u${userId}@tributary`;
}

/**
 * Splits text to fit IRC lines: one line per line of the text, each cut (at a character boundary)
 * so that the whole line stays within the RFC's 512 bytes whatever `overhead` its prefix takes.
 */
export function splitText(text: string, overhead: number): string[] {
  const room = Math.max(64, MAX_LINE_BYTES - overhead);
  const out: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    let rest = lineSafe(line);
    if (!rest) continue;
    while (Buffer.byteLength(rest) > room) {
      let cut = Math.min(rest.length, room);
      while (Buffer.byteLength(rest.slice(0, cut)) > room) cut--;
      // Never split a surrogate pair.
      if (/[\ud800-\udbff]/.test(rest[cut - 1] ?? '')) cut--;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    out.push(rest);
  }
  return out;
}

/** PRIVMSG or NOTICE lines for `text`, ACTION-wrapped if asked, tagged with server-time and msgid if the client wants them. */
function say(view: SessionView, e: EventJson, source: string, command: 'PRIVMSG' | 'NOTICE', target: string, text: string, action = false): string[] {
  const tags: Record<string, string> = {};
  if (view.has('server-time') && typeof e.sent === 'number') tags.time = new Date(e.sent).toISOString();
  if (view.has('message-tags') && e.uuid) tags.msgid = e.uuid;
  // `:source COMMAND target :` plus CTCP framing, CRLF, and room to spare.
  const overhead = source.length + command.length + target.length + 8 + (action ? 9 : 0);
  return splitText(text, overhead).map((part) => formatLine(source, command, [target, action ? `\u0001ACTION ${part}\u0001` : part], tags));
}

/** Where a message goes on IRC: its flow's channel, or the private query (the other person's nick). */
function targetOf(view: SessionView, e: EventJson): string | undefined {
  if (e.flow) return view.channelOf(e.flow);
  if (e.to === undefined) return undefined;
  const from = Number(e.user);
  // A private message of the client's own (from another of its clients) goes to the other person.
  return from === view.me.id ? (view.nicks.nickOf(Number(e.to)) ?? `user${e.to}`) : view.me.nick;
}

function threadPrefix(e: EventJson): string {
  const title = e.thread?.title;
  return title && e.thread?.initial_message !== e.id ? `[${title}] << ` : '';
}

/** The IRC lines for one event; empty for events IRC has nothing for (typing, tags, deletions). */
export function renderEvent(view: SessionView, e: EventJson): string[] {
  switch (e.event) {
    case 'message':
    case 'status':
    case 'line':
    case 'file':
    case 'comment':
      return renderPost(view, e);
    case 'activity':
    case 'discussion': {
      const target = targetOf(view, e);
      const text = [e.thread?.title ? `[${e.thread.title}]` : '', e.title ?? '', textOf(e.content)].filter(Boolean).join(' ');
      return target && text ? say(view, e, INBOX_SOURCE, 'NOTICE', target, text) : [];
    }
    case 'message-edit':
      return renderEdit(view, e);
    default:
      return renderMembership(view, e);
  }
}

function renderPost(view: SessionView, e: EventJson): string[] {
  const target = targetOf(view, e);
  if (!target) return [];
  if (e.uuid && view.postedHere(e.uuid) && !view.has('echo-message')) return [];
  const source = sourceOf(view, e);
  if (e.event === 'comment') {
    const c = record(e.content);
    return say(view, e, source, 'PRIVMSG', target, `[${String(c.title ?? '')}] << ${String(c.text ?? '')}`);
  }
  if (e.event === 'status') return say(view, e, source, 'PRIVMSG', target, `changed status to: ${textOf(e.content)}`, true);
  if (e.event === 'line') return say(view, e, source, 'PRIVMSG', target, textOf(e.content), true);
  return say(view, e, source, 'PRIVMSG', target, threadPrefix(e) + textOf(e.content));
}

function renderEdit(view: SessionView, e: EventJson): string[] {
  const c = record(e.content);
  const target = targetOf(view, e);
  // Deletions are not bridged (as in oulu): IRC cannot take a line back.
  if (!target || c.deleted) return [];
  const text = textOf(c.updated_content);
  return text ? say(view, e, sourceOf(view, e), 'PRIVMSG', target, EDIT_MARK + text) : [];
}

function renderMembership(view: SessionView, e: EventJson): string[] {
  const c = record(e.content);
  const channel = e.flow ? view.channelOf(e.flow) : undefined;
  switch (e.event) {
    case 'backend.user.join': {
      const user = record(c.user);
      if (!channel || typeof user.id !== 'number' || user.id === view.me.id) return [];
      view.nicks.set(user.id, String(user.nick));
      return [formatLine(hostmask(view, user.id), 'JOIN', [channel])];
    }
    case 'backend.user.block': {
      const blocked = Number(e.content);
      // The client's own block reaches it as the flow-remove of the revocation.
      return channel && blocked !== view.me.id ? [formatLine(hostmask(view, blocked), 'PART', [channel, 'blocked'])] : [];
    }
    case 'user-edit': {
      const user = record(c.user);
      if (typeof user.id !== 'number' || user.id === view.me.id) return [];
      const before = hostmask(view, user.id);
      const old = view.nicks.nickOf(user.id);
      const now = view.nicks.set(user.id, String(user.nick));
      // Published once per flow of the user: only the first changes anything.
      return old && old !== now ? [formatLine(before, 'NICK', [now])] : [];
    }
    case 'flow-update': {
      const topic = e.flow && typeof c.name === 'string' ? view.retitle(e.flow, c.name) : undefined;
      return channel && topic ? [formatLine(view.serverName, 'TOPIC', [channel, topic])] : [];
    }
    case 'flow-add':
      if (typeof c.id === 'string') view.flowAdded(c.id, c.open === true);
      return [];
    case 'flow-remove': {
      const flowId = String(c.id);
      const gone = view.channelOf(flowId);
      view.flowRemoved(flowId);
      return gone ? [formatLine(hostmask(view, view.me.id), 'PART', [gone, 'access revoked'])] : [];
    }
    default:
      return [];
  }
}
