/** IrcLineReader: cuts a client's byte stream into lines and refuses, line by line, what is not a valid IRC line. */
import { MAX_CLIENT_TAG_BYTES, MAX_LINE_BYTES } from './irc-line';

/** One line read: its text, or why it was refused (the session answers with an error reply and reads on). */
export type ReadLine = { kind: 'line'; text: string } | { kind: 'refused'; problem: 'too long' | 'NUL byte' | 'invalid UTF-8'; command: string };

const LF = 0x0a;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The command word of a refused line, for the error reply (`*` when it cannot be read). */
function commandOf(bytes: Buffer): string {
  let text = bytes.subarray(0, 600).toString('latin1');
  if (text.startsWith('@')) text = text.slice(text.indexOf(' ') + 1);
  if (text.startsWith(':')) text = text.slice(text.indexOf(' ') + 1);
  const word = /^[A-Za-z]+|^\d{3}/.exec(text.trimStart())?.[0];
  return word ? word.toUpperCase() : '*';
}

/**
 * Lines end at LF (a CR before it is dropped; RFC clients send CRLF, some send LF alone). A line
 * longer than the RFC allows is refused whole, its rest skipped up to the next LF, without ever
 * buffering more than one maximum line: a client cannot make the server hold unbounded input.
 */
export class IrcLineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while skipping the rest of an over-long line. */
  private skipping: Buffer | null = null;
  private readonly maxBytes = MAX_LINE_BYTES + MAX_CLIENT_TAG_BYTES;

  /** Feeds a chunk; returns the lines it completed, in order. */
  push(chunk: Buffer): ReadLine[] {
    const out: ReadLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const piece = chunk.subarray(start, lf < 0 ? chunk.length : lf);
      start = lf < 0 ? chunk.length : lf + 1;
      if (this.skipping) {
        if (lf >= 0) {
          out.push({ kind: 'refused', problem: 'too long', command: commandOf(this.skipping) });
          this.skipping = null;
        }
        continue;
      }
      this.pending.push(piece);
      this.pendingBytes += piece.length;
      if (this.pendingBytes > this.maxBytes) {
        this.skipping = Buffer.concat(this.pending).subarray(0, 600);
        this.reset();
        if (lf >= 0) {
          out.push({ kind: 'refused', problem: 'too long', command: commandOf(this.skipping) });
          this.skipping = null;
        }
        continue;
      }
      if (lf < 0) break;
      const line = Buffer.concat(this.pending);
      this.reset();
      const read = this.check(line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line);
      if (read) out.push(read);
    }
    return out;
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The RFC limit counts the line without its tags, CRLF included; the tag section has its own. */
  private check(bytes: Buffer): ReadLine | null {
    if (bytes.length === 0) return null;
    const tagEnd = bytes[0] === 0x40 ? bytes.indexOf(0x20) + 1 : 0;
    if (tagEnd > MAX_CLIENT_TAG_BYTES || bytes.length - tagEnd + 2 > MAX_LINE_BYTES) return { kind: 'refused', problem: 'too long', command: commandOf(bytes) };
    if (bytes.includes(0)) return { kind: 'refused', problem: 'NUL byte', command: commandOf(bytes) };
    try {
      return { kind: 'line', text: decoder.decode(bytes) };
    } catch {
      return { kind: 'refused', problem: 'invalid UTF-8', command: commandOf(bytes) };
    }
  }
}
