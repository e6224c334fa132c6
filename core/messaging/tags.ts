/** Tag derivation (spec §2.9): hashtags, @mentions → :user:/:unread:, @everyone, URLs. */

export interface Member {
  id: number;
  nick: string;
}

const EVERYONE = new Set(['everyone', 'everybody', 'all', 'anyone', 'anybody']);
const HASHTAG = /(?:^|\s)#([\p{L}\p{N}_-]+)/gu;
const MENTION = /(?:^|[\s(])@([\p{L}\p{N}_-]+)/gu;
const URL_RE = /\bhttps?:\/\/\S+/i;

/** A user-given tag as stored: hashtags lose their `#`, `@nick` becomes `:user:<id>` when the nick is known. */
function normalizeGivenTag(tag: string, byNick: Map<string, Member>): string[] {
  if (tag.startsWith('#')) return [tag.slice(1)];
  if (tag.startsWith('@')) {
    const nick = tag.slice(1).toLowerCase();
    if (EVERYONE.has(nick)) return [':user:everyone'];
    const m = byNick.get(nick);
    return m ? [`:user:${m.id}`, `:unread:${m.id}`] : [];
  }
  return [tag];
}

/**
 * Members by lower-cased nick. Nicks are unique per organization (the directory enforces it), so a
 * clash can only come from data older than that rule: such a nick resolves to nobody rather than
 * to whichever member came last, so that `@nick` never tags the wrong person.
 */
function membersByNick(members: Member[]): Map<string, Member> {
  const byNick = new Map<string, Member>();
  const ambiguous = new Set<string>();
  for (const m of members) {
    const nick = m.nick.toLowerCase();
    if (byNick.has(nick) && byNick.get(nick)!.id !== m.id) ambiguous.add(nick);
    byNick.set(nick, m);
  }
  for (const nick of ambiguous) byNick.delete(nick);
  return byNick;
}

/** The full tag list of a new message: given tags plus what the text implies, deduplicated case-insensitively. */
export function deriveTags(givenTags: string[], text: string | null, members: Member[], senderId: number | null): string[] {
  const byNick = membersByNick(members);
  const tags: string[] = givenTags.flatMap((t) => normalizeGivenTag(t, byNick));
  if (text) {
    for (const [, tag] of text.matchAll(HASHTAG)) tags.push(tag!);
    for (const [, nick] of text.matchAll(MENTION)) {
      const lower = nick!.toLowerCase();
      if (EVERYONE.has(lower)) {
        tags.push(':user:everyone');
        for (const m of members) if (m.id !== senderId) tags.push(`:unread:${m.id}`);
        continue;
      }
      const m = byNick.get(lower);
      if (m) tags.push(`:user:${m.id}`, ...(m.id !== senderId ? [`:unread:${m.id}`] : []));
    }
    if (URL_RE.test(text)) tags.push(':url');
  }
  const seen = new Set<string>();
  return tags.filter((t) => {
    const k = t.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
