/**
 * Input schemas several actions share. Built once at load: zod compiles an object schema on its
 * first use, so a schema made per call would pay that on every call.
 */
import { z } from 'zod';

/** A numeric id in a path, query or frame (users, messages, organizations). */
export const positiveId = z.coerce.number().int().positive();

/** `true`/`false`/`1`/`0` as forms and query strings send them. */
export const truthy = z.union([z.boolean(), z.enum(['1', '0', 'true', 'false'])]).transform((v) => v === true || v === '1' || v === 'true');

/** A flow's or an organization's name (≤100, as the spec says for flows). */
export const displayName = z.string().trim().min(1, "can't be blank").max(100);

/** `{name}` of renames and creations. */
export const nameBody = z.object({ name: displayName });

export const accessMode = z.enum(['invitation', 'link', 'organization']);
