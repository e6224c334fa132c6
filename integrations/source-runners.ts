/** The runner of each built-in source kind (core/integrations/source-kinds.ts has their configs); a kind without one here is not run. */
import type { Config } from '../core/config';
import { type ImapLimits, imapRunner } from './mail/imap-runner';
import { ircRunner } from './irc/irc-source-runner';
import { rssRunner } from './rss/rss-runner';
import type { KindRunner } from './source-runner';
import { twitterRunner } from './twitter/twitter-runner';

export interface RunnerSettings {
  mail: ImapLimits;
  twitterApiUrl: Config['TWITTER_API_URL'];
}

export function sourceRunners(limits: RunnerSettings): Readonly<Record<string, KindRunner>> {
  return {
    rss: rssRunner,
    imap: imapRunner(limits.mail),
    irc: ircRunner,
    twitter: twitterRunner(limits.twitterApiUrl),
  };
}
