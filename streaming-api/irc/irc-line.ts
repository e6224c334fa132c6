/** IRC lines (RFC 1459/2812 with IRCv3 message tags): parsing what a client sends and formatting what it gets. */

/** RFC 1459 §2.3: a line, its CRLF included, is at most 512 bytes (the IRCv3 tag section comes on top). */
export const MAX_LINE_BYTES = 512;
/** IRCv3 message-tags: a client's tag section may take 4096 bytes more. */
export const MAX_CLIENT_TAG_BYTES = 4096;

export interface IrcMessage {
  readonly tags: ReadonlyMap<string, string>;
  readonly command: string;
  readonly params: readonly string[];
}

/** Splits one line (no CRLF) into tags, command and params; the source prefix of a client line is ignored. Null for an empty line. */
export function parseLine(line: string): IrcMessage | null {
  let rest = line;
  const tags = new Map<string, string>();
  if (rest.startsWith('@')) {
    const space = rest.indexOf(' ');
    const section = space < 0 ? rest.slice(1) : rest.slice(1, space);
    for (const tag of section.split(';')) {
      const eq = tag.indexOf('=');
      if (tag) tags.set(eq < 0 ? tag : tag.slice(0, eq), eq < 0 ? '' : unescapeTag(tag.slice(eq + 1)));
    }
    rest = space < 0 ? '' : rest.slice(space + 1);
  }
  rest = rest.replace(/^ +/, '');
  if (rest.startsWith(':')) {
    const space = rest.indexOf(' ');
    rest = space < 0 ? '' : rest.slice(space + 1);
  }
  const params: string[] = [];
  let command = '';
  while (rest.length) {
    rest = rest.replace(/^ +/, '');
    if (!rest.length) break;
    if (command && rest.startsWith(':')) {
      params.push(rest.slice(1));
      break;
    }
    const space = rest.indexOf(' ');
    const word = space < 0 ? rest : rest.slice(0, space);
    rest = space < 0 ? '' : rest.slice(space + 1);
    if (!command) command = word.toUpperCase();
    else params.push(word);
  }
  return command ? { tags, command, params } : null;
}

const TAG_ESCAPES: Record<string, string> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

function unescapeTag(value: string): string {
  return value.replace(/\\(.?)/g, (_, c: string) => TAG_ESCAPES[c] ?? c);
}

function escapeTag(value: string): string {
  return value.replace(/[\\; \r\n]/g, (c) => ({ '\\': '\\\\', ';': '\\:', ' ': '\\s', '\r': '\\r', '\n': '\\n' })[c]!);
}

/**
 * Formats one outgoing line with its CRLF. The last param is sent as a trailing one (`:`
 * prefix) when there are several or it may hold spaces; tags are sent only when given (the caller decides by
 * the client's capabilities).
 */
export function formatLine(source: string | null, command: string, rawParams: readonly string[], tags?: Readonly<Record<string, string>>): string {
  // Every param may carry text others chose (a flow renamed, a user's display name in WHO): CR, LF
  // or NUL in one would end the line and start one of the sender's making in another client's stream.
  const params = rawParams.map(lineSafe);
  const tagText = tags && Object.keys(tags).length ? `@${Object.entries(tags).map(([k, v]) => (v ? `${k}=${escapeTag(v)}` : k)).join(';')} ` : '';
  const head = source ? `:${source} ${command}` : command;
  const middle = params.slice(0, -1).map((p) => ` ${p}`).join('');
  const last = params.at(-1);
  // Like most servers: the last of several params is always trailing (some clients expect text there).
  const trailing = last === undefined ? '' : params.length > 1 || last === '' || last.includes(' ') || last.startsWith(':') ? ` :${last}` : ` ${last}`;
  return `${tagText}${head}${middle}${trailing}\r\n`;
}

const LINE_BREAKERS = new RegExp(`[\r\n${String.fromCharCode(0)}]+`, 'g');

/** Text as it may go into one IRC param: CR, LF and NUL would end or break the line, so they become spaces. */
export function lineSafe(text: string): string {
  return text.replace(LINE_BREAKERS, ' ');
}
