/**
 * The file of an `event: "file"` post, as JSON (`content: {data: <base64>, content_type, file_name}`)
 * or multipart (the web-api puts the `content` part's bytes in `data` as a Buffer, which JSON cannot
 * produce). Validated here, once, whichever way it came; the bytes are only decoded once the size fits.
 */
import { AppError, validationError } from '../errors';

export interface Upload {
  data: Buffer;
  /** The declared type, parameters dropped, lower-cased; `application/octet-stream` when none was given. */
  contentType: string;
  fileName: string;
}

const MAX_FILE_NAME = 255;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** `type/subtype` as RFC 6838 allows its characters. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a file name may not hold
const CONTROL = /[\u0000-\u001f\u007f]/;

const SHAPE_HINT = 'must be the file: {data (base64), content_type, file_name} in JSON, or a multipart part named content';

/** 413 naming the limit and the setting that changes it. */
export const fileTooLarge = (maxBytes: number, size?: number): AppError =>
  new AppError('PAYLOAD_TOO_LARGE', `${size === undefined ? 'The file' : `The file (${size} bytes)`} exceeds the limit of ${maxBytes} bytes per file (FILE_MAX_BYTES)`, {
    content: [`is larger than ${maxBytes} bytes`],
  });

function fileName(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw validationError({ file_name: ["can't be blank"] });
  if (CONTROL.test(raw)) throw validationError({ file_name: ['must not contain NUL or other control characters'] });
  if (/[/\\]/.test(raw)) throw validationError({ file_name: ['must be a name, without / or \\'] });
  if (raw.length > MAX_FILE_NAME) throw validationError({ file_name: [`is too long (maximum is ${MAX_FILE_NAME} characters)`] });
  return raw;
}

function contentType(raw: unknown): string {
  if (raw === undefined || raw === null || raw === '') return 'application/octet-stream';
  const type = typeof raw === 'string' ? raw.split(';')[0]!.trim().toLowerCase() : '';
  if (!MEDIA_TYPE.test(type)) throw validationError({ content_type: ['must be a media type such as image/png'] });
  return type;
}

function bytes(raw: unknown, maxBytes: number): Buffer {
  if (Buffer.isBuffer(raw)) {
    if (raw.length > maxBytes) throw fileTooLarge(maxBytes, raw.length);
    return raw;
  }
  if (typeof raw !== 'string') throw validationError({ 'content.data': ["can't be blank (the file's bytes in base64)"] });
  // Line-wrapped base64 (Ruby's Base64.encode64, `base64` the tool) is still base64.
  const compact = raw.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) throw validationError({ 'content.data': ['is not valid base64'] });
  const size = (compact.length / 4) * 3 - (compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0);
  if (size > maxBytes) throw fileTooLarge(maxBytes, size);
  return Buffer.from(compact, 'base64');
}

/** The upload in a post's `content`; throws 400 naming the field, or 413 past `maxBytes`. */
export function parseUpload(content: unknown, maxBytes: number): Upload {
  if (!content || typeof content !== 'object' || Array.isArray(content)) throw validationError({ content: [SHAPE_HINT] });
  const c = content as Record<string, unknown>;
  const name = fileName(c.file_name);
  const type = contentType(c.content_type);
  return { data: bytes(c.data, maxBytes), contentType: type, fileName: name };
}
