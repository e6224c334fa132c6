/** The runner of each built-in source kind (core/integrations/source-kinds.ts has their configs); a kind without one here is not run. */
import { type ImapLimits, imapRunner } from './mail/imap-runner';
import { ircRunner } from './irc/irc-source-runner';
import { rssRunner } from './rss/rss-runner';
import type { KindRunner } from './source-runner';

export interface RunnerLimits {
  mail: ImapLimits;
}

export function sourceRunners(limits: RunnerLimits): Readonly<Record<string, KindRunner>> {
  return {
    rss: rssRunner,
    imap: imapRunner(limits.mail),
    irc: ircRunner,
  };
}
