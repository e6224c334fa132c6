/**
 * Request schemas of the read routes (the actions own the schemas of what they change). Built once
 * at load: zod compiles an object schema on its first use, so a schema made per request would pay
 * that on every request.
 */
import { z } from 'zod';
import { positiveId } from '../../core/actions/inputs';

/** `{flow}`: the flow id of POST /messages and POST /comments. */
export const flowIdBody = z.object({ flow: z.string().min(1, "can't be blank") });

/** `?id=` of the find endpoints. */
export const flowFindQuery = z.object({ id: z.string().min(1, "can't be blank") });
export const organizationFindQuery = z.object({ id: positiveId });
