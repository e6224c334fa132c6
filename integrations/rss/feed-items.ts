/** An RSS or Atom document → the items to post (rss-parser parses; nothing here fetches). */
import Parser from 'rss-parser';
import type { SourceItem } from '../source-runner';

/** Longest thread body taken from an item (the post's own cap is 100 000). */
const MAX_BODY = 20_000;
const MAX_TITLE = 1000;

const parser = new Parser();

type ParsedItem = Parser.Item & { id?: string; author?: string };

/** The item's stable id: its guid (RSS) or id (Atom), else its link; null for an item with neither (skipped). */
function externalIdOf(item: ParsedItem): string | null {
  const id = item.guid ?? item.id ?? item.link;
  return typeof id === 'string' && id.trim() ? id.trim().slice(0, 1000) : null;
}

function dateOf(item: ParsedItem): Date | null {
  const at = item.isoDate ? new Date(item.isoDate) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}

const httpLink = (link: string | undefined): string | undefined => (link && /^https?:\/\//i.test(link) && link.length <= 2000 ? link : undefined);

/** Items newest first (by date; undated items keep the feed's order, which is newest first by custom). */
export async function feedItems(xml: string): Promise<SourceItem[]> {
  let feed: Parser.Output<ParsedItem>;
  try {
    feed = await parser.parseString(xml);
  } catch (err) {
    throw new Error(`the feed is not valid RSS or Atom: ${(err as Error).message.split('\n')[0]}`);
  }
  const author = { name: (feed.title?.trim() || 'Feed').slice(0, 200) };
  const items: SourceItem[] = [];
  for (const item of feed.items) {
    const externalId = externalIdOf(item);
    if (!externalId) continue;
    const title = (item.title?.trim() || externalId).slice(0, MAX_TITLE);
    const link = httpLink(item.link);
    const body = (item.contentSnippet ?? item.summary ?? '').slice(0, MAX_BODY);
    items.push({
      externalId,
      publishedAt: dateOf(item),
      post: {
        event: 'activity',
        author: { name: (item.creator ?? item.author ?? author.name).slice(0, 200) || author.name },
        title: 'published',
        external_thread_id: externalId.slice(0, 256),
        thread: { title, ...(body ? { body } : {}), ...(link ? { external_url: link } : {}) },
      },
    });
  }
  // A stable sort: undated items keep their place relative to each other.
  return items.sort((a, b) => (b.publishedAt?.getTime() ?? 0) - (a.publishedAt?.getTime() ?? 0));
}
