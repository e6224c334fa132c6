/** Turns zod's issues into the API's validation error: field name → messages (spec §1); then applies the storable-text rule. */
import type { z } from 'zod';
import { type FieldErrors, validationError } from './errors';
import { unstorableFields } from './storable-text';

/**
 * Parses a command's input with its schema, then refuses any string or key in the result that no
 * store can hold (core/storable-text.ts). Every REST route and WebSocket frame parses its input
 * here, so this one check covers every field of every command before it reaches the queue.
 */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) {
    const unstorable = unstorableFields(result.data);
    if (Object.keys(unstorable).length) throw validationError(unstorable);
    return result.data;
  }
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.join('.') : 'body';
    (fields[field] ??= []).push(issue.message);
  }
  throw validationError(fields);
}
