/**
 * Text between a flow and an IRC channel: mentions translated both ways, and flow messages cut
 * into IRC lines that fit the 512-byte limit once the server has put its prefix in front.
 */

/** An IRC nick, as far as a mention goes. */
const NICK = '[A-Za-z[\\]\\\\`_^{|}][A-Za-z0-9[\\]\\\\`_^{|}-]*';

/** Flow → IRC: a message that starts by mentioning someone (`@bob …`) is addressed IRC-style (`bob: …`). */
export function flowMentionsToIrc(text: string): string {
  return text.replace(new RegExp(`^@(${NICK})\\b[,:]?\\s*`), '$1: ');
}

/** mIRC formatting: bold, colour (with its `fg[,bg]` digits), hex colour, reset, monospace, reverse, italic, strike, underline. */
// biome-ignore lint/complexity/useRegexLiterals: as a literal the control characters (the whole point here) trip noControlCharactersInRegex
const IRC_FORMATTING = new RegExp(String.raw`\x03(?:\d{1,2}(?:,\d{1,2})?)?|\x04(?:[0-9a-fA-F]{6}(?:,[0-9a-fA-F]{6})?)?|[\x02\x0f\x11\x16\x1d\x1e\x1f]`, 'g');

/** IRC → flow: formatting codes would show as stray characters in the app, so they go. */
export function stripIrcFormatting(text: string): string {
  return text.replace(IRC_FORMATTING, '');
}

/** IRC → flow: a line addressed to someone (`bob: …`, `bob, …`) mentions them (`@bob …`), so the flow tags it. */
export function ircMentionsToFlow(text: string): string {
  return text.replace(new RegExp(`^(${NICK})[:,]\\s+`), '@$1 ');
}

/**
 * What one relayed line may carry, in UTF-8 bytes: 512, less CRLF, less what the server adds
 * when it relays our PRIVMSG (`:nick!user@host PRIVMSG #channel :`). The user and host are the
 * server's to choose, so they are budgeted at their usual maxima (10 and 63).
 */
export function ircTextBudget(bridgeNick: string, channel: string, prefix: string): number {
  const relayed = `:${bridgeNick}!${'u'.repeat(10)}@${'h'.repeat(63)} PRIVMSG ${channel} :`;
  return 512 - 2 - Buffer.byteLength(relayed) - Buffer.byteLength(prefix);
}

const bytes = (s: string): number => Buffer.byteLength(s);

/**
 * Cuts `text` into pieces of at most `budget` UTF-8 bytes, never inside a code point. A cut falls
 * on a space when one lies in the piece's second half, so words stay whole where they can, and
 * that space is the line break (dropped: IRC servers strip a line's trailing spaces anyway); a
 * word longer than half a line is cut where the budget ends, losing nothing.
 */
export function splitUtf8(text: string, budget: number): string[] {
  if (budget < 4) throw new Error(`an IRC line has room for ${budget} bytes: the nick or channel is too long`);
  const pieces: string[] = [];
  let rest = text;
  while (bytes(rest) > budget) {
    let end = 0;
    let used = 0;
    let lastSpace = -1;
    for (const ch of rest) {
      const size = bytes(ch);
      if (used + size > budget) break;
      used += size;
      end += ch.length;
      if (ch === ' ') lastSpace = end - 1;
    }
    // A space right after the piece is a word boundary too.
    if (rest[end] === ' ') lastSpace = end;
    const atSpace = lastSpace > end / 2;
    const cut = atSpace ? lastSpace : end;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(atSpace ? cut + 1 : cut);
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** The IRC lines (PRIVMSG texts) of one flow message: `<nick> text`, one line per line of text, each split to fit. */
export function ircLinesOf(author: string, content: string, budget: (prefix: string) => number): string[] {
  const prefix = `<${author}> `;
  const room = budget(prefix);
  return flowMentionsToIrc(content)
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trim() !== '')
    .flatMap((line) => splitUtf8(line, room).map((piece) => prefix + piece));
}
