/** The one rule for storable text: what the edge accepts, every store can hold (no NUL, no unpaired surrogate). */
import type { FieldErrors } from './errors';

/** Deeper input is refused rather than walked, so a hostile body cannot exhaust the stack. */
export const MAX_INPUT_DEPTH = 64;

export const NUL_PROBLEM = 'contains a NUL byte';
export const SURROGATE_PROBLEM = 'contains an unpaired surrogate';
export const DEPTH_PROBLEM = `is nested more than ${MAX_INPUT_DEPTH} levels deep`;

// Postgres text and jsonb refuse U+0000, and a lone UTF-16 surrogate has no UTF-8 encoding at all
// (Postgres refuses its JSON escape; Redis and MongoDB would store U+FFFD instead).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** `text` made storable instead of refused (for text we did not write and cannot send back: mail): NUL dropped, lone surrogates as U+FFFD. */
export function toStorable(text: string): string {
  return text.replaceAll('\u0000', '').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\ufffd');
}

/** Why a string cannot be stored, or null when it can. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return NUL_PROBLEM;
  if (LONE_SURROGATE.test(text)) return SURROGATE_PROBLEM;
  return null;
}

/**
 * Every unstorable string or object key in `value`, by field path (`content.fields.0.label`;
 * the key itself is named for a bad key). Empty when all of it can be stored.
 */
export function unstorableFields(value: unknown, root = 'body'): FieldErrors {
  const problems: FieldErrors = {};
  const report = (path: string[], problem: string): void => {
    const field = path.length ? path.join('.') : root;
    const list = (problems[field] ??= []);
    if (!list.includes(problem)) list.push(problem);
  };
  const walk = (node: unknown, path: string[]): void => {
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) report(path, problem);
      return;
    }
    // Bytes (a multipart upload's file) are not text, and walking them would visit every byte.
    if (typeof node !== 'object' || node === null || ArrayBuffer.isView(node)) return;
    if (path.length >= MAX_INPUT_DEPTH) {
      report(path, DEPTH_PROBLEM);
      return;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) walk(node[i], [...path, String(i)]);
      return;
    }
    for (const [key, item] of Object.entries(node)) {
      const problem = textProblem(key);
      // A bad key cannot be echoed back as a field name either: name it by a storable stand-in.
      if (problem) report([...path, storableStandIn(key)], problem);
      walk(item, [...path, problem ? storableStandIn(key) : key]);
    }
  };
  walk(value, []);
  return problems;
}

/** The key with NULs and lone surrogates replaced by U+FFFD, so the error body itself is valid text. */
function storableStandIn(key: string): string {
  return key.replaceAll('\u0000', '\ufffd').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\ufffd');
}
