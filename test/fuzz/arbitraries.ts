/**
 * fast-check generators of hostile input for the API fuzz suite: strings with NUL bytes, lone
 * surrogates, broken percent-encoding and huge numbers; JSON values that are deep, wide or of the
 * wrong type; and requests that put them in every place a client controls.
 */
import fc from 'fast-check';

/** Strings an attacker would try first, mixed with ordinary ones. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '', ' ', '\u0000', 'x\u0000y', '\ud800', 'a\udfffb', '%', '%zz', '%00', '%E0%A4%A', '%ud800', '..', '../..', '/', '\\',
    '0', '-1', '1.5', '1e309', 'NaN', '99999999999999999999', '2147483648', '9007199254740993', '0000-01-01T00:00:00Z',
    '9999-99-99', 'null', 'true', '[]', '{}', '<script>alert(1)</script>', "' OR 1=1 --", '@everyone', '#tag', ',,,,',
    'ä', '🦀', '\u202e', '\r\n', 'a'.repeat(9000),
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Percent-encodes a string; lone surrogates become the invalid UTF-8 bytes a broken client sends. */
function encodeLoosely(value: string): string {
  return value.split(LONE_SURROGATE).map(encodeURIComponent).join('%ED%A0%80');
}

/**
 * A value too deep for a recursive serializer (ours or the test's own JSON.stringify): kept as the
 * JSON text and the form-encoded key it stands for, built iteratively.
 */
export class DeepValue {
  readonly json: string;
  readonly formKey: string;
  constructor(readonly depth: number) {
    this.json = `${'{"a":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;
    this.formKey = `a${'[a]'.repeat(depth)}`;
  }
  [fc.toStringMethod](): string {
    return `DeepValue(${this.depth})`;
  }
}

/** An object with `width` keys. */
export function wideObject(width: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < width; i++) out[`k${i}`] = 'v';
  return out;
}

/** JSON text of a generated value, with DeepValues inlined (the test's structures around them are shallow). */
export function toJsonText(value: unknown): string {
  if (value instanceof DeepValue) return value.json;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Form-encodes a value the way qs reads brackets, so deep and wide values reach the urlencoded parser. */
export function toFormText(value: unknown, prefix = ''): string {
  const key = (k: string) => (prefix ? `${prefix}[${k}]` : k);
  if (value instanceof DeepValue) return `${key(value.formKey)}=x`;
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).map(([k, v]) => toFormText(v, key(k))).join('&');
  }
  return `${encodeLoosely(prefix || 'value')}=${encodeLoosely(String(value))}`;
}

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, 1e308, Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value: scalars, small structures, and the occasional deep or wide one. */
export const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 3, arbitrary: fc.array(scalar, { maxLength: 5 }) },
  { weight: 3, arbitrary: fc.dictionary(nastyString, scalar, { maxKeys: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(40, 200, 20_000).map((d) => new DeepValue(d)) },
  { weight: 1, arbitrary: fc.constantFrom(200, 1_500).map(wideObject) },
);

/** Field names the API knows, so that generated bodies reach validation of real fields. */
const FIELDS = [
  'event', 'content', 'tags', 'uuid', 'thread_id', 'external_thread_id', 'external_user_name', 'message', 'app', 'attachments',
  'title', 'body', 'author', 'thread', 'flow', 'name', 'nick', 'email', 'open', 'disabled', 'access_mode', 'id', 'users', 'to',
] as const;

const EVENTS = ['message', 'status', 'comment', 'action', 'line', 'file', 'activity', 'discussion', 'bogus'];

/** A request body: mostly objects of known fields with hostile values, sometimes anything at all. */
export const body: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ event: fc.constantFrom(...EVENTS), content: jsonValue, tags: jsonValue }, { requiredKeys: [] }) },
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), jsonValue, { maxKeys: 6 }) },
  { weight: 1, arbitrary: jsonValue },
);

/** A path segment or query value: usually encoded, sometimes a malformed escape sent raw. */
export const rawSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: nastyString.map(encodeLoosely) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%ED%A0%80', '%00', '%C0%AF', '%FF') },
);

/** Query strings: known parameters with hostile values. */
const QUERY_KEYS = ['limit', 'since_id', 'until_id', 'until', 'event', 'tags', 'tag_mode', 'search', 'sort', 'id', 'users', 'filter', 'user', 'access_token', 'active'];
export const rawQuery: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_KEYS), rawSegment), { maxLength: 4 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

/** How the request's body is framed. */
export const encoding = fc.constantFrom(
  { contentType: 'application/json', contentEncoding: undefined as string | undefined },
  { contentType: 'application/x-www-form-urlencoded', contentEncoding: undefined },
  { contentType: 'application/json', contentEncoding: 'gzip' },
  { contentType: 'application/json', contentEncoding: 'bogus' },
  { contentType: 'text/plain', contentEncoding: undefined },
  { contentType: 'application/json; charset=utf-7', contentEncoding: undefined },
);

/** WebSocket frames: every type the protocol knows plus unknown ones, with hostile fields. */
const FRAME_TYPES = ['auth', 'subscribe', 'unsubscribe', 'post', 'presence', 'typing', 'ping', 'edit', 'nope'];
export const wsFrame: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.constantFrom(...FRAME_TYPES), fc.dictionary(fc.constantFrom(...FIELDS, 'flows', 'since', 'state', 'ref', 'token'), jsonValue, { maxKeys: 5 }))
      .map(([type, fields]) => ({ ...fields, type })),
  },
  { weight: 1, arbitrary: jsonValue },
);
