/** The runner of each built-in source kind (core/integrations/source-kinds.ts has their configs); a kind without one here is not run. */
import { type ImapLimits, imapRunner } from './mail/imap-runner';
import { rssRunner } from './rss/rss-runner';
import type { SourceRunner } from './source-runner';

export interface RunnerLimits {
  mail: ImapLimits;
}

export function sourceRunners(limits: RunnerLimits): Readonly<Record<string, SourceRunner>> {
  return {
    rss: rssRunner,
    imap: imapRunner(limits.mail),
  };
}
