/** The `interval_s` field every polled source kind shares: seconds between polls (never below SOURCE_MIN_INTERVAL_S either way). */
import { z } from 'zod';

/** Seconds between polls when `interval_s` is not given. */
export const DEFAULT_INTERVAL_S = 300;

export const pollIntervalS = z.number({ error: 'must be a number of seconds' }).positive('must be positive').max(86_400 * 7, 'must be at most a week (604800)').optional();
