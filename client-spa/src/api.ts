/**
 * The REST API as the app calls it: same origin, the session cookie (HttpOnly, never seen here), and
 * the session's CSRF token on every request that changes state (docs/adr/014-app-sessions.md).
 */
import { chatMessageOf } from './message-log';
import { type MessageQuery, queryParams } from './message-query';
import type { ChatMessage, Flow, FlowEvent, Thread, User } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** No answer at all (offline), or the server could not take it now: worth sending again. */
export const isRetryable = (err: unknown): boolean => !(err instanceof ApiError) || err.status >= 500 || err.status === 429;

/** Held in memory only: a reload asks GET /session again. */
let csrfToken: string | null = null;

/** `keepalive`: the request outlives the page (sent as it closes); its body must stay under 64 KiB. */
export async function request<T>(method: string, path: string, body?: unknown, options: { keepalive?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...options, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { message?: string; code?: string };
  if (!res.ok) throw new ApiError(res.status, json.message ?? `${res.status} ${res.statusText}`, json.code);
  return json as T;
}

/** The headers a state-changing request the app builds itself (a multipart upload) must carry. */
export const csrfHeaders = (): Record<string, string> => (csrfToken ? { 'X-CSRF-Token': csrfToken } : {});

interface SessionAnswer {
  user: User;
  csrf_token: string | null;
}

/** Who is signed in, or null (401). */
export async function currentSession(): Promise<User | null> {
  try {
    const answer = await request<SessionAnswer>('GET', '/session');
    csrfToken = answer.csrf_token;
    return answer.user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function logIn(email: string, password: string): Promise<User> {
  const answer = await request<SessionAnswer>('POST', '/session', { email, password });
  csrfToken = answer.csrf_token;
  return answer.user;
}

export async function logOut(): Promise<void> {
  try {
    await request<void>('DELETE', '/session');
  } finally {
    csrfToken = null;
  }
}

/** The caller's flows with their members (for names by user id). */
export const listFlows = (): Promise<Flow[]> => request('GET', '/flows?users=1');


/** A history page: chat messages and the edits to them. */
export const HISTORY_PAGE = 100;

/** People the caller can see (flow-mates, or the organization for admins): whom they can talk to privately. */
export const listUsers = (): Promise<User[]> => request('GET', '/users');

/** What the app reads of a private conversation in GET /private: with whom (`id`), and its unread count (docs/api.md "Read markers"). */
export interface PrivateUnread {
  id: number;
  unread_count: number;
  last_read_id: number | null;
  unread_through_id: number;
}

export const listPrivateConversations = (): Promise<PrivateUnread[]> => request('GET', '/private');

// `base` below is a conversation's REST collection: `/flows/org/flow` or `/private/<user id>`.

/** The newest `HISTORY_PAGE` chat messages, files and edits before `untilId` (exclusive; all when 0), oldest first. */
export const messageHistory = (base: string, untilId = 0): Promise<FlowEvent[]> =>
  request('GET', `${base}/messages?event=message,file,message-edit&limit=${HISTORY_PAGE}${untilId ? `&until_id=${untilId}` : ''}`);

/** A chat message; with `threadId`, a reply in that thread (every chat message starts one: docs/api.md, "Threads"). */
export const postMessage = (base: string, content: string, uuid: string, threadId?: string): Promise<FlowEvent> =>
  request('POST', `${base}/messages`, { event: 'message', content, uuid, ...(threadId ? { thread_id: threadId } : {}) });

export const threadOf = (base: string, threadId: string): Promise<Thread> => request('GET', `${base}/threads/${encodeURIComponent(threadId)}`);

/** A thread's messages (the one that started it and the replies, integration items too), oldest first. */
export const threadMessages = (base: string, threadId: string): Promise<FlowEvent[]> =>
  request('GET', `${base}/threads/${encodeURIComponent(threadId)}/messages?limit=${HISTORY_PAGE}`);

/** The kinds of event the team inbox shows: integration items. */
export const INBOX_EVENTS = ['activity', 'discussion'];

/** The flow's newest integration items, oldest first. */
export const inboxItems = (base: string): Promise<FlowEvent[]> => request('GET', `${base}/messages?event=${INBOX_EVENTS.join(',')}&limit=${HISTORY_PAGE}`);

/** Replaces the content of one's own message; subscribers (this page too) get the `message-edit`. */
export const editMessage = (base: string, id: number, content: string): Promise<unknown> => request('PUT', `${base}/messages/${id}`, { content });

/** Empties one's own message; subscribers get a `message-edit` with `deleted: true`. */
export const deleteMessage = (base: string, id: number): Promise<unknown> => request('DELETE', `${base}/messages/${id}`);

/** `HISTORY_PAGE` chat messages matching a tag filter or a search, oldest first: the newest ones, or those past the newest `skip`. */
export const searchMessages = async (base: string, query: MessageQuery, skip = 0): Promise<ChatMessage[]> =>
  (await request<FlowEvent[]>('GET', `${base}/messages?${queryParams(query, HISTORY_PAGE, skip)}`)).map(chatMessageOf);

/**
 * Moves the caller's read marker in a conversation to `messageId` (never back: the server keeps the
 * highest). A keepalive request: one sent as the page goes (a reload, a link away, the tab closed) still arrives.
 */
export const markRead = (base: string, messageId: number): Promise<unknown> => request('PUT', `${base}/read`, { message_id: messageId }, { keepalive: true });

/** How people join a flow (docs/api.md, "Flows"): its access mode and join_url (a link-mode flow's secret link, shown to members, null while it has none; an organization-mode flow's own; else null). */
export interface JoinSettings {
  access_mode: 'invitation' | 'link' | 'organization';
  join_url: string | null;
}

/** The flow's JSON, for its join settings. */
export const joinSettings = (base: string): Promise<JoinSettings> => request('GET', base);

/** Makes the link-mode flow's join link, or replaces it (the old one stops working at once). */
export const newJoinLink = async (base: string): Promise<string | null> => (await request<{ join_url: string | null }>('POST', `${base}/join_url`)).join_url;

/** Turns the link-mode flow's join link off. */
export const turnOffJoinLink = (base: string): Promise<void> => request('DELETE', `${base}/join_url`);
