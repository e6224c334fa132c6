/**
 * A conversation's unread count, kept exact across the two ways the app learns it: the server's
 * count as of an event id (GET /flows: `unread_count` up to `unread_through_id`) and the live
 * messages that arrive. A live message the server's count already holds (its id at or below
 * `through`) is not counted again, and a newer server count replaces the older one without losing
 * the live messages after it: whichever of a flow-list answer and a live message comes first.
 */

/**
 * Counts from here on are shown as "99+": the server counts up to 100 (UNREAD_CAP in
 * core/messaging/unread.ts), and the tally keeps no more live ids than that.
 */
export const BADGE_CAP = 100;

/** The events a badge counts, as the server does (UNREAD_EVENTS in core/messaging/unread.ts): the chat's own lines. */
export const COUNTED_EVENTS: readonly string[] = ['message', 'file'];

export interface UnreadTally {
  /** The server's count (0 once read here, or when the server has not said). */
  readonly base: number;
  /** The newest event id `base` accounts for (0: none). */
  readonly through: number;
  /** The newest live messages counted after `through`, by id, ascending (a connection delivers a conversation's ids in order); at most BADGE_CAP. */
  readonly live: readonly number[];
  /** The newest id read on this page (its read marker may not have reached the server yet). */
  readonly readThrough: number;
}

export const NO_UNREAD: UnreadTally = { base: 0, through: 0, live: [], readThrough: 0 };

export const unreadTotal = (tally: UnreadTally): number => tally.base + tally.live.length;

/** What a badge shows for a count. */
export const badgeText = (count: number): string => (count >= BADGE_CAP ? `${BADGE_CAP - 1}+` : String(count));

/**
 * The server's count up to `through`, from its read marker `lastReadId`. Ignored when older than
 * what the tally accounts for, or counted from a marker behind what was read here (the page's
 * marker was throttled or still on its way): the next count, from the new marker, is applied.
 */
export function withServerCount(tally: UnreadTally, count: number, through: number, lastReadId: number | null): UnreadTally {
  if (through < tally.through || (lastReadId ?? 0) < tally.readThrough) return tally;
  return { ...tally, base: count, through, live: tally.live.filter((id) => id > through) };
}

/** A live message not read yet (by someone else, not in view). */
export function withLiveMessage(tally: UnreadTally, id: number): UnreadTally {
  if (id <= tally.through || id <= (tally.live.at(-1) ?? 0)) return tally;
  const live = tally.live.length < BADGE_CAP ? [...tally.live, id] : [...tally.live.slice(1), id];
  return { ...tally, live };
}

/** Everything counted has been read here, up to `upTo` (the newest id shown; 0: not known yet). */
export function readAll(tally: UnreadTally, upTo: number): UnreadTally {
  return { base: 0, through: Math.max(tally.through, upTo, tally.live.at(-1) ?? 0), live: [], readThrough: Math.max(tally.readThrough, upTo) };
}

/** The server refused this page's read marker: server counts apply again, as they are what every other device shows. */
export const markerRefused = (tally: UnreadTally): UnreadTally => ({ ...tally, readThrough: 0 });
