/** Input schemas for numbers and times that reach the database: what JavaScript and Postgres can both represent exactly. */
import { z } from 'zod';

/** Ids are bigint in Postgres, but a JavaScript number is exact only up to 2^53-1: larger ones are refused, never rounded. */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** A positive integer id from JSON or a string (path, query, form). */
export const positiveId = z.coerce.number().int().positive().max(MAX_ID, 'is out of range');

/** A non-negative integer id bound (`since_id`, `since`). */
export const idBound = z.coerce.number().int().nonnegative().max(MAX_ID, 'is out of range');

/** True when the `YYYY-MM-DD` the value starts with is a real calendar day in years 1–9999. */
function isRealDay(value: string): boolean {
  const [year = 0, month = 0, day = 0] = value.slice(0, 10).split('-').map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return year >= 1 && year <= 9999 && day >= 1 && day <= days;
}

/** An ISO 8601 UTC date-time on a real calendar day in years 1–9999: Postgres refuses year 0 and 30 February alike. */
export const timestamp = z.iso.datetime().refine(isRealDay, 'is not a real date');
