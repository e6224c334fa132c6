/** The runner of each built-in source kind (core/integrations/source-kinds.ts has their configs); a kind without one here is not run. */
import type { Config } from '../core/config';
import { rssRunner } from './rss/rss-runner';
import type { SourceRunner } from './source-runner';
import { twitterRunner } from './twitter/twitter-runner';

export function sourceRunners(config: Pick<Config, 'TWITTER_API_URL'>): Readonly<Record<string, SourceRunner>> {
  return {
    rss: rssRunner,
    twitter: twitterRunner(config.TWITTER_API_URL),
  };
}
