/** The runner of each built-in source kind (core/integrations/source-kinds.ts has their configs); a kind without one here is not run. */
import { rssRunner } from './rss/rss-runner';
import type { SourceRunner } from './source-runner';

export const SOURCE_RUNNERS: Readonly<Record<string, SourceRunner>> = {
  rss: rssRunner,
};
