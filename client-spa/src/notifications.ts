/** Which live messages notify the user (a mention of them or of everyone, or a private message to them), and what the notice says. Pure; unit-tested. */
import type { FlowEvent } from './types';

export interface Notice {
  /** The conversation's log key, to open it from the notice. */
  key: string;
  title: string;
  body: string;
}

/** Whether a live event should notify user `me`: never their own messages, never edits. */
export function notifies(event: FlowEvent, me: string): boolean {
  if (event.event !== 'message' || event.user === me) return false;
  if (event.to !== undefined && !event.flow) return true;
  return (event.tags ?? []).some((t) => t === `:user:${me}` || t === ':user:everyone');
}

/** Long texts are cut: a notice is a glance, the message is one click away. */
const BODY_MAX = 140;

export function noticeOf(event: FlowEvent, key: string, author: string, where: string): Notice {
  const text = typeof event.content === 'string' ? event.content : '';
  const title = event.flow ? `${author} mentioned you in ${where}` : `${author} wrote to you`;
  return { key, title, body: text.length > BODY_MAX ? `${text.slice(0, BODY_MAX - 1)}…` : text };
}
