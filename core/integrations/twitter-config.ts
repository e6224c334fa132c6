/** A Twitter search source's config (docs/integrations.md): the recent-search query, the API's bearer token (a secret), how often to poll. */
import { z } from 'zod';
import { pollIntervalS } from './poll-interval';

export const twitterConfig = z.strictObject({
  /** Twitter's v2 search syntax (`from:acme OR #acme -is:retweet`); the API allows 512 characters. */
  query: z.string().trim().min(1, "can't be blank").max(512, 'must be at most 512 characters (the API limit)'),
  /** An app-only bearer token of the Twitter API; sealed at rest, never returned. */
  // It travels in an HTTP header, which carries visible ASCII only: anything else (a pasted "…",
  // a NUL) is refused at creation rather than failing every poll.
  bearer_token: z.string().trim().min(1, "can't be blank").max(2000).regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters only (as the API issues it)'),
  interval_s: pollIntervalS,
});

export type TwitterConfig = z.infer<typeof twitterConfig>;
