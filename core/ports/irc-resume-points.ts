/**
 * Where each user's IRC clients left off: per client (the username of its `USER` line, which tells
 * a user's irssi from their phone), conversation → the last id it was sent, kept when it
 * disconnects so that a reconnect to any streaming node resumes from there (Redis hash shared by
 * every node, or an in-process map in the embedded mode). IRC clients name no position themselves.
 */

/** A user's positions expire this long after they were last saved (an IRC client away longer starts afresh). */
export const IRC_RESUME_TTL_MS = 7 * 24 * 3600_000;
/**
 * At most this many positions (client × conversation) are kept per user: a save that would pass it
 * replaces all of the user's positions with the ones saved, so no user can grow without bound
 * (however many client names they log in with).
 */
export const IRC_RESUME_MAX_CONVERSATIONS = 1000;

export interface IrcResumePoints {
  /** Merges `positions` into the client's: each conversation named takes its new position, the others keep theirs. */
  save(userId: number, client: string, positions: Record<string, number>): Promise<void>;
  /** The client's positions; `{}` when none were saved (or they expired). */
  of(userId: number, client: string): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** The options both implementations take; the defaults are the constants above. */
export interface IrcResumePointsOptions {
  ttlMs?: number;
  maxConversations?: number;
}

/** A client name fit to key positions by: the `USER` line's username, without spaces (a trailing parameter may hold some), cut to 64 characters. */
export const ircClientName = (username: string): string => username.replace(/\s/g, '_').slice(0, 64);
