/**
 * A raw mail (RFC 5322 bytes) → what Tributary keeps of it: sender, subject, a plain-text body
 * (an HTML-only mail is turned into text, so no markup survives), its thread key and its files.
 * mailparser does the MIME work (charsets, encodings); this file decides what to keep and makes
 * every string storable. Shared by the SMTP receiver and IMAP sources.
 */
import { createHash } from 'node:crypto';
import { convert } from 'html-to-text';
import { type AddressObject, simpleParser } from 'mailparser';
import { toStorable } from '../../core/storable-text';

/** A file attached to a mail, to be stored through the blob store. */
export interface MailFile {
  fileName: string;
  contentType: string;
  data: Buffer;
}

export interface InboundMail {
  /** `<id@host>` as sent, or a digest of the bytes when the mail has none (so a resend of the same bytes is still one mail). */
  messageId: string;
  /** The first Message-ID of the conversation: References' first, else In-Reply-To, else its own. */
  threadKey: string;
  from: { address: string; name: string | null };
  subject: string;
  text: string;
  files: MailFile[];
  /** What was left out (too many or too large attachments), said in the post. */
  notes: string[];
}

export interface MailLimits {
  /** FILE_MAX_BYTES: a larger attachment is left out, and the post says so. */
  maxFileBytes: number;
}

/** The post's own caps (core/messaging/post-input.ts), with room for the notes. */
const MAX_TEXT = 90_000;
const MAX_SUBJECT = 1000;
const MAX_NAME = 200;
const MAX_ADDRESS = 320;
const MAX_ID = 998; // RFC 5322's longest line
const MAX_FILES = 20;
const MAX_HTML = 2_000_000;
const MAX_HTML_DEPTH = 500;
const MAX_FILE_NAME = 255;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** At most `max` characters that every store can hold (core/storable-text.ts); a cut through a surrogate pair is cleaned too. */
const storable = (text: string, max: number): string => toStorable(toStorable(text).slice(0, max));

function firstAddress(from: AddressObject | AddressObject[] | undefined): { address: string; name: string | null } {
  const list = Array.isArray(from) ? from : from ? [from] : [];
  const first = list.flatMap((a) => a.value).find((a) => a.address);
  return {
    address: storable(first?.address ?? 'unknown@invalid', MAX_ADDRESS),
    name: first?.name ? storable(first.name, MAX_NAME) : null,
  };
}

const ids = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? v.split(/\s+/) : []).map((s) => s.trim()).filter(Boolean);

function fileNameOf(name: string | undefined, index: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a file name may not hold (core/files/upload-input.ts)
  const cleaned = storable(name ?? '', MAX_FILE_NAME).replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim();
  return cleaned || `attachment-${index + 1}`;
}

function contentTypeOf(type: string | undefined): string {
  const t = (type ?? '').split(';')[0]!.trim().toLowerCase();
  return MEDIA_TYPE.test(t) ? t : 'application/octet-stream';
}

/**
 * The text of an HTML part, for a mail with no text part that mailparser did not render (it renders
 * only an HTML root or alternative): markup, scripts and styles never reach a flow. Bounded as
 * mailparser bounds it: html-to-text's recursive walk must not meet hostile nesting.
 */
function htmlAsText(html: string | false, notes: string[]): string {
  if (!html) return '';
  try {
    return convert(html, { wordwrap: false, limits: { maxDepth: MAX_HTML_DEPTH, maxInputLength: MAX_HTML }, selectors: [{ selector: 'img', format: 'skip' }] });
  } catch {
    notes.push('The HTML body could not be turned into text.');
    return '';
  }
}

/** Parses `raw`; never throws for what a mail contains (mailparser copes with broken MIME and unknown charsets). */
export async function parseMail(raw: Buffer, limits: MailLimits): Promise<InboundMail> {
  const parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
  const messageId = parsed.messageId?.trim()
    ? storable(parsed.messageId.trim(), MAX_ID)
    : `<sha256-${createHash('sha256').update(raw).digest('hex')}@tributary.invalid>`;
  const threadKey = storable(ids(parsed.references)[0] ?? ids(parsed.inReplyTo)[0] ?? messageId, MAX_ID);
  const notes: string[] = [];
  const files: MailFile[] = [];
  parsed.attachments.forEach((a, i) => {
    const fileName = fileNameOf(a.filename, i);
    if (a.content.length > limits.maxFileBytes) notes.push(`${fileName} (${a.content.length} bytes) was left out: larger than ${limits.maxFileBytes} bytes.`);
    else if (files.length >= MAX_FILES) notes.push(`${fileName} was left out: more than ${MAX_FILES} attachments.`);
    else files.push({ fileName, contentType: contentTypeOf(a.contentType), data: a.content });
  });
  const text = storable(parsed.text || htmlAsText(parsed.html, notes), MAX_TEXT).trim();
  return {
    messageId,
    threadKey,
    from: firstAddress(parsed.from),
    subject: storable(parsed.subject?.trim() || '(no subject)', MAX_SUBJECT),
    text,
    files,
    notes,
  };
}
