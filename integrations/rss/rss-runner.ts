/** The `rss` kind: polls an RSS or Atom feed with a conditional GET (ETag, If-Modified-Since) and turns new entries into items. */
import { DEFAULT_INTERVAL_S, type RssConfig } from '../../core/integrations/rss-config';
import { OutboundError } from '../outbound/guarded-fetch';
import type { PollInput, PollResult, SourceRunner } from '../source-runner';
import { feedItems } from './feed-items';

/** A type, not an interface: it must fit the worker's Record<string, unknown> cursor. */
type RssCursor = { etag?: string; lastModified?: string };

/** The validators to send: only those the feed gave. */
function conditionalHeaders(cursor: RssCursor | null): Record<string, string> {
  return {
    accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
    ...(cursor?.etag ? { 'if-none-match': cursor.etag } : {}),
    ...(cursor?.lastModified ? { 'if-modified-since': cursor.lastModified } : {}),
  };
}

export const rssRunner: SourceRunner = {
  intervalS: (config) => (config as RssConfig).interval_s ?? DEFAULT_INTERVAL_S,

  async poll({ config, cursor, outbound }: PollInput): Promise<PollResult> {
    const previous = cursor as RssCursor | null;
    const res = await outbound.get((config as RssConfig).url, conditionalHeaders(previous));
    if (res.status === 304) return { items: [], cursor: previous };
    if (res.status !== 200) throw new OutboundError(`${res.url} answered ${res.status}`);
    const next: RssCursor = {
      ...(typeof res.headers.etag === 'string' ? { etag: res.headers.etag } : {}),
      ...(typeof res.headers['last-modified'] === 'string' ? { lastModified: res.headers['last-modified'] } : {}),
    };
    return { items: await feedItems(res.body.toString('utf8')), cursor: next };
  },
};
