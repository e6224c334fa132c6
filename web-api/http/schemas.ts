/**
 * Request schemas shared by several routes. Built once at load: zod compiles an object schema on
 * its first use, so a schema made per request would pay that on every request.
 */
import { z } from 'zod';

/** A numeric id in a path or query (users, messages, organizations). */
export const positiveId = z.coerce.number().int().positive();

/** `true`/`false`/`1`/`0` as forms and query strings send them. */
export const truthy = z.union([z.boolean(), z.enum(['1', '0', 'true', 'false'])]).transform((v) => v === true || v === '1' || v === 'true');

/** `{flow}`: the flow id of POST /messages and POST /comments. */
export const flowIdBody = z.object({ flow: z.string().min(1, "can't be blank") });

/** `?id=` of the find endpoints. */
export const flowFindQuery = z.object({ id: z.string().min(1, "can't be blank") });
export const organizationFindQuery = z.object({ id: positiveId });

/** `{name}` of renames and creations (≤100, as the spec says for flows). */
export const nameBody = z.object({ name: z.string().trim().min(1, "can't be blank").max(100) });
