/** How Tributary names appear on IRC: flows as `#org/flow` channels, users as their nicks (clashes suffixed, as oulu did). */
import type { FlowAccess } from '../../core/ports/directory';

/** `#org/flow`, from the flow's and its organization's parameterized names. */
export function channelOf(access: Pick<FlowAccess, 'flow' | 'organization'>): string {
  return `#${access.organization.parameterizedName}/${access.flow.parameterizedName}`;
}

/** The flow reference (`org/flow`, or the legacy `org:flow` oulu also took) a channel name stands for; null when it is no flow channel. */
export function flowRefOfChannel(channel: string): string | null {
  if (!channel.startsWith('#') || channel.length < 4) return null;
  const ref = channel.slice(1).toLowerCase().replace(':', '/');
  return /^[^/\s]+\/[^/\s]+$/.test(ref) ? ref : null;
}

/** `Flow name (Org name)`, the topic of a flow's channel. */
export function topicOf(access: Pick<FlowAccess, 'flow' | 'organization'>): string {
  return `${access.flow.name} (${access.organization.name})`;
}

/**
 * A name as an IRC nick: ASCII letters, digits, `_` and `-`; anything else becomes `_`; never starts
 * with a digit or `-`. IRC's other nick characters are kept for marks no name can forge: `|` before
 * an integration sender's `ext` and a clash's number (`\` folds to `|` in rfc1459 case mapping).
 */
export function ircNick(nick: string): string {
  const cleaned = nick.replace(/[^A-Za-z0-9_-]/g, '_') || '_';
  return /^[0-9-]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** Case-insensitive as IRC compares nicks (rfc1459 casemapping). */
function foldNick(nick: string): string {
  return nick.toLowerCase().replace(/[[\]\\~]/g, (c) => ({ '[': '{', ']': '}', '\\': '|', '~': '^' })[c]!);
}

/**
 * One session's view of user ids and IRC nicks. Tributary nicks are unique within an organization
 * only, so two users seen together may clash (case-insensitively): the one met later gets a
 * suffix `|2`, `|3`, …. oulu appended a bare digit, but then a user of another organization could
 * pick `bob2` and be taken for the second bob (or push him aside); no nick has a `|`. A user keeps
 * their IRC nick for the session unless they rename.
 */
export class NickMap {
  /** user id → the nick they asked for (cleaned) and the IRC nick they got. */
  private readonly byId = new Map<number, { base: string; nick: string }>();
  private readonly byFolded = new Map<string, number>();

  /** Records the user (or a new nick of theirs); returns their IRC nick. */
  set(userId: number, nick: string): string {
    const current = this.byId.get(userId);
    const base = ircNick(nick);
    if (current?.base === base) return current.nick;
    if (current) this.byFolded.delete(foldNick(current.nick));
    let candidate = base;
    for (let n = 2; this.takenByOther(candidate, userId); n++) candidate = `${base}|${n}`;
    this.byId.set(userId, { base, nick: candidate });
    this.byFolded.set(foldNick(candidate), userId);
    return candidate;
  }

  nickOf(userId: number): string | undefined {
    return this.byId.get(userId)?.nick;
  }

  /** The user behind an IRC nick, case-insensitively. */
  idOf(nick: string): number | undefined {
    return this.byFolded.get(foldNick(nick));
  }

  private takenByOther(nick: string, userId: number): boolean {
    const holder = this.byFolded.get(foldNick(nick));
    return holder !== undefined && holder !== userId;
  }
}
