/** The validated shape of a message post, shared by REST and WebSocket (spec §2.4 "Send parameters"). */
import { z } from 'zod';
import { POSTABLE_EVENTS } from '../events/event-types';
import { ID_DIGITS } from '../input-bounds';

export const MAX_CONTENT_LENGTH = 8096;

const MAX_TAGS = 100;
const MAX_TAG_LENGTH = 256;

/** Tags arrive as an array or a comma-separated string; both obey the same caps once split. */
export const tagsInput = z
  .union([z.array(z.string()), z.string().max(MAX_TAGS * (MAX_TAG_LENGTH + 1))])
  .transform((t) => (Array.isArray(t) ? t : t.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().max(MAX_TAG_LENGTH)).max(MAX_TAGS, `at most ${MAX_TAGS} tags`));

const httpUrl = z.string().url().max(2000).refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

/** Thread actions (spec §5): a link to view the item, or an HTTP call that updates it. */
const threadAction = z.discriminatedUnion('@type', [
  z.object({ '@type': z.literal('ViewAction'), name: z.string().min(1).max(200), url: httpUrl, description: z.string().max(1000).optional(), image: httpUrl.optional() }),
  z.object({
    '@type': z.literal('UpdateAction'),
    name: z.string().min(1).max(200),
    target: z.object({ '@type': z.literal('EntryPoint'), urlTemplate: httpUrl, httpMethod: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) }),
  }),
], { error: 'must be a ViewAction or an UpdateAction' });

const threadInput = z.object({
  title: z.string().min(1).max(1000),
  body: z.string().max(100_000).optional(),
  external_url: z.string().url().max(2000).optional(),
  status: z.object({ value: z.string().max(200), color: z.string().max(20) }).nullable().optional(),
  fields: z.array(z.object({ label: z.string().max(200), value: z.string().max(2000) })).max(50).optional(),
  actions: z.array(threadAction).max(20).optional(),
});

const idLike = z.union([z.number().int().positive(), z.string().regex(ID_DIGITS, 'must be a message id').transform(Number)]);

export const postInput = z
  .object({
    event: z.enum(POSTABLE_EVENTS, { message: `must be one of ${POSTABLE_EVENTS.join(', ')}` }),
    content: z.unknown().optional(),
    tags: tagsInput.optional(),
    uuid: z.string().min(1).max(128).optional(),
    thread_id: z.string().min(1).max(64).optional(),
    external_thread_id: z.string().min(1).max(256).optional(),
    external_user_name: z.string().regex(/^\S{1,16}$/, 'no spaces, at most 16 characters').optional(),
    message: idLike.optional(),
    app: z.string().max(32).nullable().optional(),
    attachments: z.array(z.unknown()).max(20).optional(),
    title: z.string().max(1000).optional(),
    body: z.string().max(100_000).optional(),
    author: z.object({ name: z.string().min(1).max(200), avatar: z.string().max(2000).optional(), email: z.string().max(320).optional() }).optional(),
    thread: threadInput.optional(),
  })
  .superRefine((p, ctx) => {
    const textual = p.event === 'message' || p.event === 'status' || p.event === 'comment' || p.event === 'line';
    if (textual) {
      if (typeof p.content !== 'string' || p.content.trim() === '') ctx.addIssue({ code: 'custom', path: ['content'], message: "can't be blank" });
      else if (p.content.length > MAX_CONTENT_LENGTH) ctx.addIssue({ code: 'custom', path: ['content'], message: `is too long (maximum is ${MAX_CONTENT_LENGTH} characters)` });
    }
    if (p.event === 'comment' && p.message === undefined) ctx.addIssue({ code: 'custom', path: ['message'], message: "can't be blank" });
    if (p.event === 'activity' || p.event === 'discussion') {
      if (!p.title) ctx.addIssue({ code: 'custom', path: ['title'], message: "can't be blank" });
      if (!p.author) ctx.addIssue({ code: 'custom', path: ['author'], message: "can't be blank" });
      if (!p.thread_id && !p.external_thread_id) ctx.addIssue({ code: 'custom', path: ['thread_id'], message: 'thread_id or external_thread_id is required' });
    } else if (p.attachments?.length) {
      ctx.addIssue({ code: 'custom', path: ['attachments'], message: 'only allowed for activity and discussion events' });
    }
    // The file itself is validated where it is stored (core/files/upload-input.ts).
    if (p.event === 'file' && (p.content === null || typeof p.content !== 'object')) {
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'must be the file: {data (base64), content_type, file_name} in JSON, or a multipart part named content' });
    }
  });

export type PostInput = z.infer<typeof postInput>;

/** Edits (spec: PUT /flows/:org/:flow/messages/:id): new content and/or the full tag list. */
export const editInput = z
  .object({ content: z.string().min(1, "can't be blank").max(MAX_CONTENT_LENGTH).optional(), tags: tagsInput.optional() })
  .refine((e) => e.content !== undefined || e.tags !== undefined, { message: 'content or tags is required', path: ['content'] });

export type EditInput = z.infer<typeof editInput>;

/** A retag: the full new tag list. */
export const tagsEdit = z.object({ tags: tagsInput });
