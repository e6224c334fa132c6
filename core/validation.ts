/** Turns zod's issues into the API's validation error: field name → messages (spec §1). */
import type { z } from 'zod';
import { type FieldErrors, validationError } from './errors';

export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.join('.') : 'body';
    (fields[field] ??= []).push(issue.message);
  }
  throw validationError(fields);
}
