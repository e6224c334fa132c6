/** Input schemas of the source actions (spec §2.8) and the v1 push API (spec §5). Built once at load. */
import { z } from 'zod';
import { SOURCE_TYPES } from '../integrations/source-types';
import { tagsInput } from '../messaging/post-input';

const httpUrl = z.string().trim().max(2000).url('must be a URL').refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');
/** "" clears a field (spec §2.8: `error_message` "" clears the error). */
const clearable = <T extends z.ZodType<string, string>>(inner: T) => z.union([z.literal('').transform(() => null), z.null(), inner]);

export const createSourceInput = z.object({
  name: z.string().trim().min(1, "can't be blank").max(255),
  external_url: httpUrl.optional(),
  /** A built-in integration (Tributary's extension, docs/integrations.md); its `config` is checked by its kind. */
  type: z.enum(SOURCE_TYPES, { error: `must be one of ${SOURCE_TYPES.join(', ')}` }).optional(),
  config: z.unknown().optional(),
});

export const updateSourceInput = z
  .object({ error_message: clearable(z.string().max(2000)).optional(), configuration_url: clearable(httpUrl).optional() })
  .refine((u) => u.error_message !== undefined || u.configuration_url !== undefined, { message: 'error_message or configuration_url is required', path: ['error_message'] });

/** `source`/`project` of the team inbox push: letters, digits, `_`, `-` and spaces (spec §5). */
const label = z.string().max(100).regex(/^[\p{L}\p{N}_\- ]+$/u, 'only letters, digits, _, - and spaces');

export const teamInboxInput = z.object({
  source: label,
  from_address: z.string().trim().max(320).email('must be an email address'),
  subject: z.string().min(1, "can't be blank").max(1000),
  content: z.string().min(1, "can't be blank").max(100_000),
  from_name: z.string().max(200).optional(),
  reply_to: z.string().trim().max(320).email('must be an email address').optional(),
  project: label.optional(),
  format: z.literal('html', { error: 'only html is supported' }).optional(),
  tags: tagsInput.optional(),
  link: httpUrl.optional(),
  uuid: z.string().min(1).max(128).optional(),
});

export type TeamInboxInput = z.infer<typeof teamInboxInput>;
