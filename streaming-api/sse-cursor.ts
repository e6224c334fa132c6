/**
 * The SSE resume cursor (`id:` lines, `Last-Event-ID`): base64url of a JSON map conversation → last
 * id, so that one header resumes every flow (and private conversation) of the stream.
 */

const MAX_CURSOR_LENGTH = 64 * 1024;

/** Encodes the positions; ids are per conversation, so one number per conversation is the whole state. */
export function encodeCursor(positions: Record<string, number>): string {
  return Buffer.from(JSON.stringify(positions)).toString('base64url');
}

/**
 * Reads a cursor; also accepts the simple single-flow form `<flowId>:<id>`. Anything unreadable
 * yields an empty map: the stream then starts live, as without the header.
 */
export function decodeCursor(header: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!header || header.length > MAX_CURSOR_LENGTH) return out;
  const simple = /^([^:]+):(\d+)$/.exec(header.trim());
  if (simple) {
    const id = Number(simple[2]);
    // Beyond any id the store can hold: unreadable, like any other bad cursor.
    if (Number.isSafeInteger(id)) out.set(simple[1]!, id);
    return out;
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.from(header.trim(), 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return out;
    for (const [conversation, id] of Object.entries(parsed)) {
      if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) out.set(conversation, id);
    }
  } catch {
    // An unreadable cursor is treated as none: the client gets live events, not an error loop.
  }
  return out;
}
