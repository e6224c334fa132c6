/** An RSS or Atom source's config (docs/integrations.md): the feed URL and how often to poll it. */
import { z } from 'zod';

/** Seconds between polls when `interval_s` is not given; never below SOURCE_MIN_INTERVAL_S either way. */
export const DEFAULT_INTERVAL_S = 300;

export const rssConfig = z.strictObject({
  url: z.string().trim().max(2000).url('must be a URL').refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL'),
  interval_s: z.number({ error: 'must be a number of seconds' }).positive('must be positive').max(86_400 * 7, 'must be at most a week (604800)').optional(),
});

export type RssConfig = z.infer<typeof rssConfig>;
