/**
 * Where each user's IRC client left off: conversation → the last id it was sent, kept when it
 * disconnects so that a reconnect to any streaming node resumes from there (Redis hash shared by
 * every node, or an in-process map in the embedded mode). IRC clients name no position themselves.
 */

/** A user's positions expire this long after they were last saved (an IRC client away longer starts afresh). */
export const IRC_RESUME_TTL_MS = 7 * 24 * 3600_000;
/**
 * At most this many conversations are kept per user: a save that would pass it replaces the
 * user's positions with the ones saved (the client's latest), so no user can grow without bound.
 */
export const IRC_RESUME_MAX_CONVERSATIONS = 1000;

export interface IrcResumePoints {
  /** Merges `positions` into the user's: each conversation named takes its new position, the others keep theirs. */
  save(userId: number, positions: Record<string, number>): Promise<void>;
  /** The user's positions; `{}` when none were saved (or they expired). */
  of(userId: number): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** The options both implementations take; the defaults are the constants above. */
export interface IrcResumePointsOptions {
  ttlMs?: number;
  maxConversations?: number;
}
