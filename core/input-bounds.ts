/** Input schemas for numbers and times that reach the database: what JavaScript and Postgres can both represent exactly. */
import { z } from 'zod';

/**
 * Ids are bigint in Postgres, but a JavaScript number is exact only up to 2^53-1. zod's `int()`
 * already refuses numbers beyond that; ids that arrive as digit strings are bounded with
 * {@link ID_DIGITS} before they become numbers, so they are refused rather than rounded or sent to
 * Postgres out of its range.
 */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** A digit-string id: at most 15 digits, always below {@link MAX_ID}. */
export const ID_DIGITS = /^\d{1,15}$/;

/** True when the `YYYY-MM-DD` the value starts with is a real calendar day in years 1–9999. */
function isRealDay(value: string): boolean {
  const [year = 0, month = 0, day = 0] = value.slice(0, 10).split('-').map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return year >= 1 && year <= 9999 && day >= 1 && day <= days;
}

/** An ISO 8601 UTC date-time on a real calendar day in years 1–9999: Postgres refuses year 0 and 30 February alike. */
export const timestamp = z.iso.datetime().refine(isRealDay, 'is not a real date');
