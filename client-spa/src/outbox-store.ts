/**
 * Keeps the outbox across a reload (issue 11, point 5): the posts not yet stored, in the tab's
 * sessionStorage under the user's id, so a reload sends them again with their uuids (never
 * doubled) and another person signing in on the same browser never gets them. Only what the user
 * wrote and where it goes: no token (the session is an HttpOnly cookie the page never sees).
 */
import type { OutgoingPost } from './outbox';

const keyOf = (userId: string): string => `tributary.outbox.${userId}`;

function isPost(value: unknown): value is OutgoingPost {
  const v = value as Partial<OutgoingPost> | null;
  return !!v && typeof v.uuid === 'string' && typeof v.key === 'string' && typeof v.base === 'string' && typeof v.text === 'string' && typeof v.sent === 'number' && (v.threadId === undefined || typeof v.threadId === 'string');
}

/** The posts a previous page of this tab left unsent; anything unreadable is dropped rather than sent. */
export function loadOutbox(storage: Storage, userId: string): OutgoingPost[] {
  try {
    const saved: unknown = JSON.parse(storage.getItem(keyOf(userId)) ?? '[]');
    return Array.isArray(saved) ? saved.filter(isPost) : [];
  } catch {
    return [];
  }
}

export function saveOutbox(storage: Storage, userId: string, posts: readonly OutgoingPost[]): void {
  if (posts.length) storage.setItem(keyOf(userId), JSON.stringify(posts));
  else storage.removeItem(keyOf(userId));
}
