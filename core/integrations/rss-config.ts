/** An RSS or Atom source's config (docs/integrations.md): the feed URL and how often to poll it. */
import { z } from 'zod';
import { pollIntervalS } from './poll-interval';

export { DEFAULT_INTERVAL_S } from './poll-interval';

export const rssConfig = z.strictObject({
  url: z.string().trim().max(2000).url('must be a URL').refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL'),
  interval_s: pollIntervalS,
});

export type RssConfig = z.infer<typeof rssConfig>;
