/**
 * What the filter box asks the REST API for (docs/api.md, message list parameters): `#tag` words
 * become `tags=` (all must match), any other words `search=` (all must match). Pure; unit-tested.
 */

export interface MessageQuery {
  /** Hashtags without `#`. */
  tags?: readonly string[];
  /** Keywords, space-separated. */
  search?: string;
}

const HASHTAG = /^#([\p{L}\p{N}_-]+)$/u;

/** The filter box's text as a query; null when it asks for nothing. */
export function parseFilter(text: string): MessageQuery | null {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const tags = words.flatMap((w) => HASHTAG.exec(w)?.[1] ?? []);
  const search = words.filter((w) => !HASHTAG.test(w)).join(' ');
  if (!tags.length && !search) return null;
  return { ...(tags.length ? { tags } : {}), ...(search ? { search } : {}) };
}

/** The filter box's text for a query (a clicked tag fills the box with `#tag`). */
export const filterText = (q: MessageQuery): string => [...(q.tags ?? []).map((t) => `#${t}`), q.search ?? ''].filter(Boolean).join(' ');

/** The REST list parameters for a query: the newest `limit` matches past the newest `skip`, chat messages only. */
export function queryParams(q: MessageQuery, limit: number, skip = 0): string {
  const p = new URLSearchParams({ event: 'message', limit: String(limit) });
  if (skip) p.set('skip', String(skip));
  if (q.tags?.length) p.set('tags', q.tags.join(','));
  if (q.search) p.set('search', q.search);
  return p.toString();
}

/** The results view's heading. */
export function describeQuery(q: MessageQuery): string {
  const tagged = q.tags?.length ? `tagged ${q.tags.map((t) => `#${t}`).join(' ')}` : '';
  const matching = q.search ? `matching “${q.search}”` : '';
  return `Messages ${[tagged, matching].filter(Boolean).join(' and ')}`;
}

/** The hashtags worth showing on a message: its tags without the system ones (`:user:1`, `:url`, `influx:7`). */
export const hashtagsOf = (tags: readonly string[] | undefined): string[] => (tags ?? []).filter((t) => !t.startsWith(':') && !t.includes(':'));
