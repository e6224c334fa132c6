/** The runner of each built-in source kind (core/integrations/source-kinds.ts has their configs); a kind without one here is not run. */
import { ircRunner } from './irc/irc-source-runner';
import { rssRunner } from './rss/rss-runner';
import type { KindRunner } from './source-runner';

export const SOURCE_RUNNERS: Readonly<Record<string, KindRunner>> = {
  rss: rssRunner,
  irc: ircRunner,
};
