/**
 * A real HTTP server on 127.0.0.1 serving feeds for integration tests: each path answers with the
 * handler a test sets, and every request is counted. It is a fixture standing for the outside
 * world (a feed publisher), not a stand-in for any of our code.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FeedHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FeedServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Sets (or replaces) what `path` answers. */
  route(path: string, handler: FeedHandler): void;
  /** Requests `path` received so far, with their headers. */
  requests(path: string): IncomingMessage['headers'][];
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, FeedHandler>();
  const seen = new Map<string, IncomingMessage['headers'][]>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.set(path, [...(seen.get(path) ?? []), req.headers]);
    const handler = routes.get(path);
    if (handler) handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    route: (path, handler) => void routes.set(path, handler),
    requests: (path) => seen.get(path) ?? [],
    close: () => {
      // A hanging handler keeps its connection open: end them all.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface FeedEntry {
  guid: string;
  title: string;
  /** Minutes after 2026-01-01: a later entry is newer. */
  minute: number;
  body?: string;
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** An RSS 2.0 document with these entries (in the order given). */
export function rssDocument(title: string, entries: readonly FeedEntry[]): string {
  const items = entries.map((e) => `<item><guid>${xmlText(e.guid)}</guid><title>${xmlText(e.title)}</title><link>https://news.example.test/${encodeURIComponent(e.guid)}</link>`
    + `<pubDate>${new Date(Date.UTC(2026, 0, 1, 0, e.minute)).toUTCString()}</pubDate><description>${xmlText(e.body ?? `${e.title} body`)}</description></item>`);
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${xmlText(title)}</title><link>https://news.example.test/</link>${items.join('')}</channel></rss>`;
}

/** An Atom document with these entries. */
export function atomDocument(title: string, entries: readonly FeedEntry[]): string {
  const items = entries.map((e) => `<entry><id>${xmlText(e.guid)}</id><title>${xmlText(e.title)}</title><link href="https://news.example.test/${encodeURIComponent(e.guid)}"/>`
    + `<updated>${new Date(Date.UTC(2026, 0, 1, 0, e.minute)).toISOString()}</updated><summary>${xmlText(e.body ?? `${e.title} body`)}</summary></entry>`);
  return `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${xmlText(title)}</title><id>urn:test</id>${items.join('')}</feed>`;
}

/** A handler serving `body()` as XML with an ETag, answering 304 when the client already has it. */
export function servingXml(body: () => string): FeedHandler {
  return (req, res) => {
    const doc = body();
    const etag = `"${Buffer.from(doc).length}-${doc.length % 9973}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(doc);
  };
}

/** `n` entries numbered from `from`, each a minute newer than the one before. */
export function entries(from: number, n: number): FeedEntry[] {
  return Array.from({ length: n }, (_, i) => ({ guid: `item-${from + i}`, title: `Item ${from + i}`, minute: from + i }));
}

/** Polls `read` until `done` holds; throws with the last value read when it does not within `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
