/** The WebSocket protocol's client frames (zod schemas, and the one parser that turns a raw frame into a typed one) and its error frame. */
import { z } from 'zod';
import { errorAnswer, validationError } from '../core/errors';
import { ID_DIGITS } from '../core/input-bounds';
import { nestsDeeperThan } from '../core/json-depth';
import { parseInput } from '../core/validation';

/** A client's correlation id, echoed in the answer (`ack`, `error`, `pong`). */
const ref = z.union([z.string().max(128), z.number().int()]).optional();
/** A flow id, `org/flow` or legacy `org:flow`. */
const flowRef = z.string().min(1).max(300);
const MAX_FLOWS_PER_FRAME = 500;

export const authFrame = z
  .object({ type: z.literal('auth'), ref, token: z.string().min(1).max(512).optional(), email: z.string().min(1).max(320).optional(), password: z.string().max(1024).optional() })
  .superRefine((f, ctx) => {
    if (f.token === undefined && (f.email === undefined || f.password === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'token, or email and password, is required' });
    }
  });

export const subscribeFrame = z.object({
  type: z.literal('subscribe'),
  ref,
  flows: z.array(z.object({ flow: flowRef, since: z.number().int().nonnegative().optional() })).max(MAX_FLOWS_PER_FRAME).default([]),
  /** Private messages and user-scoped events (flow-add, flow-remove, …). */
  user: z.boolean().optional(),
});

export const unsubscribeFrame = z.object({
  type: z.literal('unsubscribe'),
  ref,
  flows: z.array(flowRef).max(MAX_FLOWS_PER_FRAME).default([]),
  user: z.boolean().optional(),
});

/** Everything but `type`, `ref`, `flow` and `to` is the post body, validated by postMessage exactly as REST's. */
export const postFrame = z
  .looseObject({
    type: z.literal('post'),
    ref,
    flow: flowRef.optional(),
    to: z.union([z.number().int().positive(), z.string().regex(ID_DIGITS, 'must be a user id')]).optional(),
  })
  .superRefine((f, ctx) => {
    if ((f.flow === undefined) === (f.to === undefined)) ctx.addIssue({ code: 'custom', path: ['flow'], message: 'exactly one of flow or to is required' });
  });

/** Names the flow message a change frame is about, by flow (id or path) and message id. */
const messageAt = { type: z.string(), ref, flow: flowRef, message: z.union([z.number().int().positive(), z.string().regex(ID_DIGITS, 'must be a message id')]) };

/** `edit`: new `content` and/or `tags`, as REST's `PUT …/messages/:id` body (validated by the action). */
export const editFrame = z.looseObject({ ...messageAt, type: z.literal('edit') });
/** `tag`: the full new tag list. */
export const tagFrame = z.looseObject({ ...messageAt, type: z.literal('tag') });
/** `delete`: empties one's own message, as REST's `DELETE …/messages/:id`. */
export const deleteFrame = z.object({ ...messageAt, type: z.literal('delete') });

export const presenceFrame = z.object({ type: z.literal('presence'), ref, state: z.enum(['active', 'idle']) });
export const typingFrame = z.object({ type: z.literal('typing'), ref, flow: flowRef });
export const pingFrame = z.object({ type: z.literal('ping'), ref });

const FRAME_SCHEMAS = {
  auth: authFrame,
  subscribe: subscribeFrame,
  unsubscribe: unsubscribeFrame,
  post: postFrame,
  edit: editFrame,
  tag: tagFrame,
  delete: deleteFrame,
  presence: presenceFrame,
  typing: typingFrame,
  ping: pingFrame,
} as const;

export type FrameType = keyof typeof FRAME_SCHEMAS;
export type ClientFrame = { [K in FrameType]: z.output<(typeof FRAME_SCHEMAS)[K]> }[FrameType];

const isFrameType = (t: unknown): t is FrameType => typeof t === 'string' && Object.hasOwn(FRAME_SCHEMAS, t);

/** The `ref` of a frame that may be invalid, so that its error can still be correlated. */
export function refOf(parsed: unknown): string | number | undefined {
  const r = (parsed as { ref?: unknown } | null)?.ref;
  return typeof r === 'string' || typeof r === 'number' ? r : undefined;
}

/** Parses one text frame; throws VALIDATION_FAILED naming the field (`body` when it is not a JSON object). */
export function parseClientFrame(parsed: unknown): ClientFrame {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw validationError({ body: ['must be a JSON object'] });
  const type = (parsed as { type?: unknown }).type;
  if (!isFrameType(type)) throw validationError({ type: [`must be one of ${Object.keys(FRAME_SCHEMAS).join(', ')}`] });
  return parseInput(FRAME_SCHEMAS[type], parsed) as ClientFrame;
}

/** Reads a raw frame as JSON; throws VALIDATION_FAILED for binary frames, malformed JSON and JSON nested deeper than `maxDepth`. */
export function readFrameJson(data: Buffer, isBinary: boolean, maxDepth: number): unknown {
  if (isBinary) throw validationError({ body: ['must be a text frame'] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    throw validationError({ body: ['is not valid JSON'] });
  }
  if (nestsDeeperThan(parsed, maxDepth)) throw validationError({ body: [`is nested deeper than ${maxDepth} levels`] });
  return parsed;
}

/** The error frame answering a failed frame, by the same mapping as REST's answers (core/errors.ts); `extra` adds fields such as `flow`. */
export function errorFrame(error: unknown, ref: string | number | undefined, extra: Record<string, unknown> = {}) {
  const { status, body, retryAfterSeconds } = errorAnswer(error);
  const retry = retryAfterSeconds !== undefined ? { retry_after: retryAfterSeconds } : {};
  return { type: 'error', ...(ref !== undefined ? { ref } : {}), status, ...body, ...retry, ...extra };
}
