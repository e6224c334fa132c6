/** EnvelopeBatch: the events one channel received within one flush, and their framing, built once for every subscriber. */
import type { Envelope } from './envelope';

/** The ids of a batch when they follow one another in one conversation: a subscriber whose cursor is at `first - 1` takes them all. */
export interface IdRun {
  readonly conversation: string;
  readonly first: number;
  readonly last: number;
}

const CRLF = Buffer.from('\r\n');

/** RFC 6455 header of an unmasked, final text frame (servers never mask). */
function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 65536) {
    const header = Buffer.allocUnsafe(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.allocUnsafe(10);
  header[0] = 0x81;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

/**
 * What the hub hands to every member of a channel at a flush: the envelopes in arrival order, plus
 * their bytes as one WebSocket write and as one JSON-lines write, each built on first use and then
 * shared (ADR 023). Per-flow work is thus done once per flush, whatever the number of subscribers.
 */
export class EnvelopeBatch {
  /** Bytes of the event bodies (the send-buffer accounting of each subscriber). */
  readonly byteLength: number;
  /** See {@link IdRun}; null when no event carries an id (all pass any cursor); undefined when the ids are not one run. */
  readonly run: IdRun | null | undefined;
  private wsBytes: Buffer | null = null;
  private jsonBytes: Buffer | null = null;

  constructor(readonly envelopes: readonly Envelope[]) {
    let bytes = 0;
    let run: IdRun | null | undefined = null;
    for (const { bytes: body, id, conversation } of envelopes) {
      bytes += body.length;
      if (id === null || conversation === null || run === undefined) continue;
      if (run === null) run = { conversation, first: id, last: id };
      else if (conversation === run.conversation && id === run.last + 1) run = { conversation, first: run.first, last: id };
      else run = undefined;
    }
    this.byteLength = bytes;
    this.run = run;
  }

  get size(): number {
    return this.envelopes.length;
  }

  /** Every event as a WebSocket text frame, concatenated: one socket write per subscriber. */
  wsFrames(): Buffer {
    this.wsBytes ??= Buffer.concat(this.envelopes.flatMap((e) => [textFrameHeader(e.bytes.length), e.bytes]));
    return this.wsBytes;
  }

  /** Every event as a JSON line ("\r\n"-terminated, spec §4), concatenated. */
  jsonLines(): Buffer {
    this.jsonBytes ??= Buffer.concat(this.envelopes.flatMap((e) => [e.bytes, CRLF]));
    return this.jsonBytes;
  }
}
